// Every bring-your-own input given as a reference to a resource of the same stack, and from a
// TerraformVariable, in a team's app that imports the library from the packed tarball installed into
// it (never from the sources): the team's own stacks and provider, two pipelines with prefixes in
// each, one synth of the app, then `terraform validate` and `terraform plan` of every stack against
// moto; a stack in two regions (the second pipeline given an aliased provider as `provider`),
// validated and planned; and one full cycle of a stack whose own bucket and key the pipeline is given
// by reference: apply, an image uploaded to the team's bucket processed by the code Terraform
// deployed, destroy to an empty state. The deploy suite proves the same from the sources
// (deploy/bring-your-own.test.ts, deploy/two-regions.test.ts).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { App } from "cdktf";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { image } from "../fixtures";
import { type Context, queuedBatch, withDeployedCode } from "../deploy/deploy-cycle";
import {
  managedResources,
  terraform,
  terraformEnvironment,
  type ValidatedPlan,
  validateAndPlan,
  writeCliConfig,
} from "../deploy/terraform";
import {
  BRING_YOUR_OWN,
  TEAM_VARIABLES,
  type TeamResources,
  type PipelineLibrary,
  teamResourcesMade,
  teamResourcesAsVariables,
  sharedBucketStack,
  teamStack,
  twoRegionStack,
} from "../helpers/bring-your-own";
import { type MotoServer, startMotoServer } from "../helpers/moto-server";
import { ROOT, pkg } from "../helpers/package-flavors";
import { AWS_PROVIDER_REQUIREMENT } from "../../constructs/shipping/provider-requirements";

const run = promisify(execFile);
const REGION = "us-east-1";
const OTHER_REGION = "us-west-2";
const ACCOUNT = "123456789012"; // moto's
const TEAM_BUCKET = "team-cycle-uploads";
/** The app's own framework packages: the project's tested copies, so the team's stack and the library share one cdktf. */
const PEERS = Object.keys(pkg.peerDependencies);

/** What the variables are given (`-var`): values of the kind each stands for, none of them existing (a plan reads none). */
const GIVEN: Omit<TeamResources, "mentioned"> = {
  key: `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-4000-8000-000000000001`,
  bucketName: "team-given-uploads",
  bucketKey: `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-4000-8000-000000000002`,
  queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:team-given-notices`,
  topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:team-given-on-call`,
  policyArn: `arn:aws:iam::${ACCOUNT}:policy/team-given-baseline`,
  boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/team-given-boundary`,
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  securityGroupIds: ["sg-0123456789abcdef0"],
};
const VAR_ARGS = Object.entries(TEAM_VARIABLES).map(([field, name]) => {
  const value = GIVEN[field as keyof typeof GIVEN];
  return `-var=${name}=${typeof value === "string" ? value : JSON.stringify(value)}`;
});

const KINDS = { references: teamResourcesMade, variables: teamResourcesAsVariables };
/** Two pipelines a stack, each with its prefix: the rows of the table in pairs (the last beside a pipeline given nothing). */
const PIPELINES = [
  { id: "Blue", namePrefix: "blue" },
  { id: "Green", namePrefix: "green" },
] as const;
const ROWS = Object.entries(BRING_YOUR_OWN);
const PAIRS = Array.from({ length: Math.ceil(ROWS.length / 2) }, (_, i) => ROWS.slice(2 * i, 2 * i + 2));

/** Runs `task` over `items`, `limit` at a time (two plans side by side: the machine's two cores). */
async function inTurns<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** Every string a value holds (a value of the team's, or a list of them). */
const strings = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : value && typeof value === "object"
        ? Object.values(value).flatMap(strings)
        : [];

/** What one apply, upload and destroy of the shared-bucket stack showed. */
interface Cycle {
  readonly resources: any[];
  readonly codeSha256Matches: boolean;
  readonly queued: number;
  readonly failures: unknown;
  readonly items: Record<string, any>[];
  readonly left: any[];
}

type Timed = <T>(step: string, task: () => Promise<T>) => Promise<T>;

/** Init, apply, one image into the team's bucket through the rule and queue Terraform made to the deployed code, destroy. */
async function fullCycle(ctx: Context, dir: string, key: string, timed: Timed): Promise<Cycle> {
  const tf = (args: string[]) => terraform(dir, ctx.env, args);
  const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
  await tf(["init", "-no-color", "-input=false"]);
  await timed("cycle: apply", () => tf(["apply", "-no-color", "-input=false", "-auto-approve"]));
  const resources = managedResources(JSON.parse((await tf(["show", "-json", "-no-color"])).stdout));
  // By name, as deploy-cycle.ts's processUpload finds them: the processor, its event queue (not its DLQ), the table.
  const value = (type: string, name: RegExp) =>
    resources.find((r) => r.type === type && name.test(r.values.function_name ?? r.values.name))?.values;
  const s3 = new S3Client({ endpoint: ctx.endpoint, region: ctx.region, forcePathStyle: true, credentials });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: ctx.endpoint, region: ctx.region, credentials }));
  const processed = await timed("cycle: upload processed", async () => {
    await s3.send(new PutObjectCommand({ Bucket: TEAM_BUCKET, Key: key, Body: image("baseline-exif.jpg"), ContentType: "image/jpeg" }));
    const batch = await queuedBatch(ctx, value("aws_sqs_queue", /ImageProcessor-Events-(?!DLQ-)/));
    const fn = value("aws_lambda_function", /^ImageProcessor-/);
    const { result, codeSha256Matches } = await withDeployedCode(ctx, fn, dir, (invoke) => invoke(batch));
    const items = (await documents.send(new ScanCommand({ TableName: value("aws_dynamodb_table", /./).name }))).Items ?? [];
    return { codeSha256Matches, queued: batch.Records.length, failures: result.batchItemFailures, items };
  });
  await timed("cycle: destroy", () => tf(["destroy", "-no-color", "-input=false", "-auto-approve"]));
  const left = managedResources(JSON.parse((await tf(["show", "-json", "-no-color"])).stdout));
  for (const client of [s3, documents]) client.destroy();
  return { resources, ...processed, left };
}

interface StackPlan extends ValidatedPlan {
  readonly stack: string;
  readonly kind: keyof typeof KINDS;
  /** Each pipeline of the stack: its row of the table ("" for none) and the props that row gives from the given values. */
  readonly pipelines: { id: string; namePrefix: string; row: string; given: object }[];
}

describe("bring-your-own inputs as references and variables, in a team's app using the installed tarball", () => {
  let work: string;
  let moto: MotoServer | undefined;
  let library: PipelineLibrary;
  let installedAt: string;
  let plans: StackPlan[];
  let twoRegions: ValidatedPlan;
  let cycle: Cycle;
  const UPLOAD = "uploads/Team Photo.JPG";
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, task: () => Promise<T> | T): Promise<T> => {
    const start = Date.now();
    try {
      return await task();
    } finally {
      timings[step] = (Date.now() - start) / 1000;
    }
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "package-bring-your-own-"));
    const motoStarted = startMotoServer(join(work, "moto.log"));
    motoStarted.catch(() => undefined); // awaited below
    const consumer = join(work, "team-app");
    await timed("pack and install", async () => {
      const packed = JSON.parse(
        (await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }))
          .stdout,
      )[0];
      mkdirSync(consumer);
      writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "team-app", version: "1.0.0", private: true }));
      // The tarball and its own dependencies from npm's cache; the peers are the app's, linked below.
      await run(
        "npm",
        ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps", join(work, packed.filename)],
        { cwd: consumer, maxBuffer: 64 * 1024 * 1024 },
      );
      for (const name of PEERS) {
        mkdirSync(dirname(join(consumer, "node_modules", name)), { recursive: true });
        symlinkSync(join(ROOT, "node_modules", name), join(consumer, "node_modules", name), "dir");
      }
    });
    installedAt = require.resolve(pkg.name, { paths: [consumer] });
    library = require(installedAt);
    moto = await motoStarted;

    // Arrange: one app, a stack of the team's for each pair of rows and each kind of input, synthesized once.
    const app = new App({ outdir: join(work, "cdktf.out") });
    const stacks: Omit<StackPlan, keyof ValidatedPlan>[] = [];
    await timed("synth", () => {
      for (const [kind, team] of Object.entries(KINDS) as [keyof typeof KINDS, (typeof KINDS)[keyof typeof KINDS]][])
        PAIRS.forEach((pair, i) => {
          const pipelines = PIPELINES.map(({ id, namePrefix }, p) => {
            const [row, props] = pair[p] ?? ["", () => ({})];
            return { id, namePrefix, row, props: (e: TeamResources) => ({ namePrefix, ...props(e) }) };
          });
          const stack = `${kind}-${i}`;
          teamStack(app, stack, library, {
            region: REGION,
            providerVersion: AWS_PROVIDER_REQUIREMENT.version,
            team,
            pipelines: Object.fromEntries(pipelines.map((p) => [p.id, p.props])),
          });
          stacks.push({
            stack,
            kind,
            pipelines: pipelines.map(({ props, ...p }) => ({ ...p, given: props({ ...GIVEN, mentioned: /$^/ }) })),
          });
        });
      const options = { region: REGION, providerVersion: AWS_PROVIDER_REQUIREMENT.version };
      twoRegionStack(app, "two-regions", library, { ...options, otherRegion: OTHER_REGION });
      sharedBucketStack(app, "shared-bucket", library, { ...options, bucketName: TEAM_BUCKET });
      app.synth();
    });

    // Act: the cycle (the longest) first, then validate and plan every other stack, two at a time.
    const env = terraformEnvironment(moto.endpoint, writeCliConfig(work), REGION);
    const dir = (stack: string) => join(work, "cdktf.out", "stacks", stack);
    const ctx: Context = { endpoint: moto.endpoint, region: REGION, env, work, stateBucket: "" };
    plans = [];
    const jobs = [
      async () => {
        cycle = await timed("full cycle", () => fullCycle(ctx, dir("shared-bucket"), UPLOAD, timed));
      },
      async () => {
        twoRegions = await timed("two regions", () => validateAndPlan(dir("two-regions"), env));
      },
      ...stacks.map((s) => async () => {
        plans.push({ ...s, ...(await validateAndPlan(dir(s.stack), env, s.kind === "variables" ? VAR_ARGS : [])) });
      }),
    ];
    await timed("validate, plan and cycle", () => inTurns(jobs, 2, (job) => job()));
  }, 1_200_000);
  afterAll(() => {
    moto?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`package bring-your-own timings (s): ${JSON.stringify(timings)}`);
  });

  /** The pipeline's own planned resources (cdktf names them by construct path: `Blue_Store_Bucket_<hash>`). */
  const ownChanges = (plan: StackPlan, id: string) => plan.changes.filter((c) => String(c.name).startsWith(`${id}_`));

  it("loads the library from the installed tarball", () => {
    expect(installedAt.startsWith(join(work, "team-app", "node_modules", pkg.name))).toBe(true);
    expect(Object.keys(library)).toContain("ImageProcessingPipeline");
  });

  it("validates and plans creations only for every stack, each input by reference and from a variable, two prefixed pipelines each", () => {
    expect(plans.map((p) => p.stack).sort()).toEqual(PAIRS.flatMap((_, i) => [`references-${i}`, `variables-${i}`]).sort());
    for (const p of plans)
      expect({
        stack: p.stack,
        valid: p.valid,
        diagnostics: p.diagnostics,
        planError: p.planError,
        others: p.changes.filter((c) => c.change.actions.join() !== "create").map((c) => c.address),
      }).toEqual({ stack: p.stack, valid: true, diagnostics: [], planError: "", others: [] });
    // Each pipeline's names carry its prefix: the two never clash.
    for (const p of plans)
      for (const { id, namePrefix } of p.pipelines) {
        const named = ownChanges(p, id)
          .filter((c) => ["aws_lambda_function", "aws_dynamodb_table", "aws_sqs_queue", "aws_iam_role"].includes(c.type))
          .map((c) => c.change.after.function_name ?? c.change.after.name);
        expect({
          stack: p.stack,
          id,
          count: named.length > 3,
          unprefixed: named.filter((n: string) => !n.startsWith(`${namePrefix}-`)),
        }).toEqual({
          stack: p.stack,
          id,
          count: true,
          unprefixed: [],
        });
      }
  });

  it("plans no bucket of a pipeline's own when it is given one, and no key of its own when given a key", () => {
    for (const p of plans)
      for (const { id, row, given } of p.pipelines) {
        const own = ownChanges(p, id);
        const ownBuckets = own.filter((c) => c.type === "aws_s3_bucket" && !c.change.after.bucket.includes("derivatives"));
        const ownKeys = own.filter((c) => c.type === "aws_kms_key");
        const notifications = own.filter((c) => c.type === "aws_s3_bucket_notification");
        const givenBucket = "existingBucket" in given;
        const givenKey = "existingKmsKeyArn" in given;
        expect({
          stack: p.stack,
          row,
          buckets: ownBuckets.length > 0,
          notifications: notifications.length > 0,
          keys: ownKeys.length > 0,
        }).toEqual({
          stack: p.stack,
          row,
          buckets: !givenBucket,
          notifications: !givenBucket,
          keys: !givenKey,
        });
      }
  });

  it("reads every variable a pipeline is given in that pipeline's own resources, as Terraform configures them", () => {
    /** Every reference in a configuration tree (`terraform show -json`'s). */
    const references = (node: unknown): string[] =>
      Array.isArray(node)
        ? node.flatMap(references)
        : node && typeof node === "object"
          ? Object.entries(node).flatMap(([k, v]) => (k === "references" && Array.isArray(v) ? v : references(v)))
          : [];
    for (const p of plans.filter((plan) => plan.kind === "variables"))
      for (const { id, row, given } of p.pipelines) {
        // Its arguments', count's and for_each's (a subscription's endpoint is read through its for_each).
        const read = new Set(references(p.configured.filter((r) => String(r.name).startsWith(`${id}_`))));
        // The variables behind the values the row gives.
        const values = strings(given);
        const variables = Object.entries(TEAM_VARIABLES)
          .filter(([field]) => strings(GIVEN[field as keyof typeof GIVEN]).some((v) => values.includes(v)))
          .map(([, name]) => `var.${name}`);
        expect({ stack: p.stack, row, unread: variables.filter((v) => !read.has(v)) }).toEqual({ stack: p.stack, row, unread: [] });
        expect(variables.length > 0).toBe(row !== "");
      }
  });

  it("plans each pipeline of a stack in two regions on its own provider, in that provider's region", () => {
    /** The stack's pipeline a resource or data source belongs to, by its readable address. */
    const pipelineOf = (address: string) =>
      address
        .replace(/^data\./, "")
        .split(".")[1]
        .startsWith("images_west_")
        ? "west"
        : "home";
    const providers = { home: new Set<string>(), west: new Set<string>() };
    for (const r of twoRegions.configured) providers[pipelineOf(r.address)].add(r.provider_config_key);
    const regionRead = Object.fromEntries(
      twoRegions.read.filter((r) => r.type === "aws_region").map((r) => [pipelineOf(r.address), r.values.name ?? r.values.region]),
    );
    // Known at plan: the key policy names the pipeline's log groups and alarms by ARN, from the region it read.
    const keyPolicy = (name: string): string =>
      twoRegions.changes.find((c) => c.address === `aws_kms_key.${name}`)?.change.after.policy ?? "";
    const regionsIn = (policy: string) => [...new Set(policy.match(/(?<=:)[a-z]{2}-[a-z]+-\d(?=:)/g))];
    const created = (west: boolean) =>
      twoRegions.changes.filter((c) => c.change.actions.join() === "create" && (pipelineOf(c.address) === "west") === west);

    expect({
      valid: twoRegions.valid,
      diagnostics: twoRegions.diagnostics,
      planError: twoRegions.planError,
      providers: { home: [...providers.home], west: [...providers.west] },
      regionRead,
      keyPolicyRegions: { home: regionsIn(keyPolicy("images_pipeline")), west: regionsIn(keyPolicy("images_west_pipeline")) },
      westHasMore: created(true).length > created(false).length,
    }).toEqual({
      valid: true,
      diagnostics: [],
      planError: "",
      providers: { home: ["aws"], west: ["aws.west"] },
      regionRead: { home: REGION, west: OTHER_REGION },
      keyPolicyRegions: { home: [REGION], west: [OTHER_REGION] },
      westHasMore: true,
    });
    expect(twoRegions.configured.length).toBeGreaterThan(70);
  });

  it("applies a stack whose own bucket and key the pipeline is given by reference, processes an image from that bucket, and destroys it all", () => {
    const of = (type: string) => cycle.resources.filter((r) => r.type === type).map((r) => r.values);
    const teamKey = cycle.resources.find((r) => r.type === "aws_kms_key" && r.name === "TeamKey")?.values.arn;

    expect({
      buckets: of("aws_s3_bucket").map((b) => b.bucket),
      keys: of("aws_kms_key").map((k) => k.description),
      tableKey: of("aws_dynamodb_table").map((t) => t.server_side_encryption[0]?.kms_key_arn === teamKey),
      codeSha256Matches: cycle.codeSha256Matches,
      queued: cycle.queued,
      failures: cycle.failures,
      items: cycle.items.map((i) => [i.BucketName, i.ObjectKey, i.Status]),
      left: cycle.left.map((r) => r.address),
    }).toEqual({
      buckets: [TEAM_BUCKET],
      keys: ["the team's key"],
      tableKey: [true],
      codeSha256Matches: true,
      queued: 1,
      failures: [],
      items: [[TEAM_BUCKET, UPLOAD, "processed"]],
      left: [],
    });
    expect(cycle.resources.length).toBeGreaterThan(30);
  });
});
