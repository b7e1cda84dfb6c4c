// Upgrading from a release under real Terraform against moto: from the oldest releases.json records
// (0.2.0, whose addresses were cdktf's hashed names) and from the newest (RELEASES says why not every
// one between). The dev stack and the module as each release synthesized them (from this
// repository's history) are applied, an image and its item put in, then planned and applied with
// this version's code (the module as its HCL release). Moved blocks (and Terraform's own move to
// instance 0 of a resource counted since) must turn every rename into a move: nothing destroyed,
// nothing replaced.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  HeadObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { image } from "../fixtures";
import { type MotoServer, startMotoServer } from "../helpers/moto-server";
import { managedResources, plannedDiffs, terraform, terraformEnvironment, warmPluginCache, writeCliConfig } from "./terraform";

const ROOT = join(__dirname, "..", "..");
/** What a release's code is made of: a release whose tree is the same here is nothing to upgrade from. */
const DEPLOYED_CODE = ["main.ts", "constructs", "functions", "scripts"];
/** Every release releases.json records (`npm run release -- --cut` writes it), oldest first. */
const RECORDED = JSON.parse(readFileSync(join(ROOT, "releases.json"), "utf8")).releases as { version: string; commit: string }[];
/**
 * The releases to upgrade from, with the commit each was made at: the oldest (0.2.0, whose
 * addresses were cdktf's hashed names: every moved block's first source) and the newest (what
 * users run now), each only when the code has changed since (right after a cut, the newest is this
 * code itself). A release between them was planned from as the newest until the next was cut, and
 * the moved blocks from its addresses are checked against the frozen address history by the unit
 * suite (shipping/readable-addresses-stack.test.ts: every address 0.3.0 had is still there, or moved
 * to instance 0); planning from every release made the job's longest step.
 */
const RELEASES: Record<string, string> = Object.fromEntries(
  [...new Set([RECORDED[0], RECORDED[RECORDED.length - 1]])]
    .filter((r) => spawnSync("git", ["-C", ROOT, "diff", "--quiet", r.commit, "--", ...DEPLOYED_CODE]).status !== 0)
    .map((r) => [r.version, r.commit]),
);
type Release = string;

const region = "us-east-1";
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

/** One upgrade: where the configuration lives, and how to put the new version's configuration there. */
interface Upgrade {
  readonly name: string;
  readonly dir: string;
  readonly vars: string[];
  readonly install: (code: string) => void;
}

interface UpgradeReport {
  readonly actions: Record<string, number>;
  /** Resources updated in place, with the attributes that change. */
  readonly updates: string[];
  readonly moved: number;
  readonly destroyedOrReplaced: string[];
  /** Resources the plan creates (nothing else is replaced). */
  readonly created: string[];
  readonly imageKept: boolean;
  readonly itemKept: boolean;
  readonly replanChanges: number;
}

const motos: MotoServer[] = [];
let work: string;
/** Each release's upgrades, by "<release> <stack or module>". */
const reports = new Map<string, UpgradeReport>();

/** The clients and Terraform environment of one release's upgrades (a moto server of their own: the names are the same). */
interface Emulator {
  readonly endpoint: string;
  readonly s3: S3Client;
  readonly documents: DynamoDBDocumentClient;
  readonly env: NodeJS.ProcessEnv;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "upgrade-"));
  const current = ROOT;
  const moduleOf = (code: string, out: string) =>
    execFileSync(process.execPath, [join(code, "scripts", "package-module.mjs"), "--out", out], { cwd: code, stdio: "pipe" });
  // The two releases side by side, each its stack and module side by side: four applies at once, each
  // within the step timeout here (most of an apply is the provider's fixed waits); one after the
  // other they made the suite's longest file.
  await Promise.all(
    (Object.keys(RELEASES) as Release[]).map(async (release) => {
      const dir = join(work, release);
      mkdirSync(dir, { recursive: true });
      // A server of its own: the dev stack's names are the deploy test's too, and the files run side by side.
      const moto = await startMotoServer(join(dir, "moto.log"));
      motos.push(moto);
      const { endpoint } = moto;
      const emulator: Emulator = {
        endpoint,
        s3: new S3Client({ endpoint, region, forcePathStyle: true, credentials }),
        documents: DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region, credentials })),
        env: terraformEnvironment(endpoint, writeCliConfig(dir), region),
      };
      // The stack and the module are upgraded side by side, both first users of this plugin cache.
      await warmPluginCache(join(dir, "plugin-cache-warm-up"), emulator.env);
      const stateBucket = "upgrade-test-terraform-state";
      await emulator.s3.send(new CreateBucketCommand({ Bucket: stateBucket }));

      const old = checkout(release, join(dir, `v${release}`));
      const synthOf = (code: string, out: string) =>
        execFileSync(process.execPath, [join(code, "scripts", "synth.mjs")], {
          cwd: code,
          env: { ...process.env, CDKTF_OUTDIR: out, TF_STATE_BUCKET: stateBucket, TF_STATE_REGION: region },
          stdio: "pipe",
        });

      // The dev stack, its state in the emulator's S3 as docs/app.md's remote state.
      const stackDir = join(dir, "stack");
      const stack: Upgrade = {
        name: "image-processing-dev",
        dir: stackDir,
        vars: [],
        install: (code) => {
          const out = join(dir, `synth-${code === current ? "new" : "old"}`);
          synthOf(code, out);
          rmSync(join(stackDir, "assets"), { recursive: true, force: true });
          cpSync(join(out, "stacks", "image-processing-dev"), stackDir, { recursive: true });
        },
      };
      mkdirSync(stackDir, { recursive: true });
      writeFileSync(
        join(stackDir, "emulator.s3.tfbackend"),
        `bucket = "${stateBucket}"\nkey = "upgrade/dev.tfstate"\nregion = "${region}"\nendpoints = { s3 = "${endpoint}" }\nuse_path_style = true\nskip_credentials_validation = true\nskip_requesting_account_id = true\nskip_metadata_api_check = true\n`,
      );

      // The module in a consumer's root, from a local folder the new version replaces (its files, not merged with the old).
      // The root asks for what the test needs to tear down; since 0.4.0 that takes `data_protection = false`,
      // which the releases before it do not know (their module has no such variable).
      const moduleRoot = join(dir, "module-root");
      const knowsDataProtection = (moduleDir: string) =>
        readdirSync(moduleDir)
          .filter((file) => /\.tf(\.json)?$/.test(file))
          .some((file) => /\bdata_protection\b/.test(readFileSync(join(moduleDir, file), "utf8")));
      const writeRoot = (dataProtectionVariable: boolean) =>
        writeFileSync(
          join(moduleRoot, "main.tf.json"),
          JSON.stringify({
            provider: { aws: { region } },
            module: {
              image_processing: {
                source: "./image-processing",
                environment: "upgrade",
                force_destroy: true,
                deletion_protection: false,
                ...(dataProtectionVariable ? { data_protection: false } : {}),
              },
            },
            output: {
              bucket: { value: "${module.image_processing.s3_bucket_name}" },
              table: { value: "${module.image_processing.dynamodb_table_name}" },
            },
          }),
        );
      const module: Upgrade = {
        name: "terraform-module",
        dir: moduleRoot,
        vars: [],
        install: (code) => {
          rmSync(join(moduleRoot, "image-processing"), { recursive: true, force: true });
          moduleOf(code, join(moduleRoot, "image-processing"));
          writeRoot(knowsDataProtection(join(moduleRoot, "image-processing")));
        },
      };
      mkdirSync(moduleRoot, { recursive: true });

      stack.install(old);
      module.install(old);
      await Promise.all(
        [stack, module].map(async (u) => reports.set(`${release} ${u.name}`, await upgrade(u, emulator, () => u.install(current)))),
      );
      const reported = [...reports].filter(([key]) => key.startsWith(`${release} `));
      console.log(`upgrade from ${release}:\n${JSON.stringify(Object.fromEntries(reported), null, 2)}`);
    }),
  );
}, 1_800_000);

afterAll(() => {
  for (const moto of motos) moto.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The tree of `release`'s commit from this repository's history, with this checkout's node_modules. */
function checkout(release: Release, dir: string): string {
  const commit = RELEASES[release];
  const known = execFileSync("git", ["-C", ROOT, "cat-file", "-t", commit], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
  if (known !== "commit") throw new Error(`${commit} (${release}) is not in this clone's history: clone with full history`);
  mkdirSync(dir, { recursive: true });
  execFileSync("sh", ["-c", `git -C "${ROOT}" archive ${commit} | tar -x -C "${dir}"`]);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  // 0.2.0's synth zipped a derivatives folder it did not build itself (a bug 0.3.0 fixed).
  execFileSync(process.execPath, [join(dir, "scripts", "build.mjs"), "all"], { cwd: dir, stdio: "pipe" });
  return dir;
}

async function upgrade(u: Upgrade, { s3, documents, env }: Emulator, installNew: () => void): Promise<UpgradeReport> {
  const backend = existsSync(join(u.dir, "emulator.s3.tfbackend")) ? [`-backend-config=${join(u.dir, "emulator.s3.tfbackend")}`] : [];
  const tf = (args: string[]) => terraform(u.dir, env, args);

  // The release applied, and an image with its item put in as the processor would have left them.
  await tf(["init", "-no-color", "-input=false", ...backend]);
  await tf(["apply", "-no-color", "-input=false", "-auto-approve", ...u.vars]);
  const names = Object.fromEntries(
    managedResources(JSON.parse((await tf(["show", "-json"])).stdout))
      .filter((r) => r.type === "aws_s3_bucket" || r.type === "aws_dynamodb_table")
      .map((r) => [
        r.type === "aws_s3_bucket" ? (r.values.bucket.includes("access-logs") ? "logs" : "bucket") : "table",
        r.type === "aws_s3_bucket" ? r.values.bucket : r.values.name,
      ]),
  );
  const key = "upgrade/kept.jpg";
  await policyLifted(s3, names.bucket, () =>
    s3.send(new PutObjectCommand({ Bucket: names.bucket, Key: key, Body: image("baseline-exif.jpg") })),
  );
  const imageId = "upgrade-kept-item";
  await documents.send(new PutCommand({ TableName: names.table, Item: { ImageId: imageId, ObjectKey: key, Status: "processed" } }));

  // This version's configuration, planned against the release's state.
  installNew();
  await tf(["init", "-no-color", "-input=false", "-reconfigure", ...backend]);
  await tf(["plan", "-no-color", "-input=false", "-out=upgrade.tfplan", ...u.vars]);
  const plan = JSON.parse((await tf(["show", "-json", "upgrade.tfplan"])).stdout);
  const changes = (plan.resource_changes ?? []).filter((c: any) => c.mode === "managed");
  const actions: Record<string, number> = {};
  for (const c of changes) actions[c.change.actions.join("+")] = (actions[c.change.actions.join("+")] ?? 0) + 1;
  await tf(["apply", "-no-color", "-input=false", "upgrade.tfplan"]);
  await tf(["plan", "-no-color", "-input=false", "-out=replan.tfplan", ...u.vars]);
  const replan = JSON.parse((await tf(["show", "-json", "replan.tfplan"])).stdout);

  const imageKept = await policyLifted(s3, names.bucket, () => s3.send(new HeadObjectCommand({ Bucket: names.bucket, Key: key }))).then(
    (head) => head.ContentLength === image("baseline-exif.jpg").length,
    () => false,
  );
  const item = await documents.send(new GetCommand({ TableName: names.table, Key: { ImageId: imageId } }));
  const report: UpgradeReport = {
    actions,
    updates: plannedDiffs(plan)
      .filter((d) => d.actions.join() === "update")
      .map((d) => `${d.address}.${d.attribute}`),
    moved: changes.filter((c: any) => c.previous_address && c.previous_address !== c.address).length,
    destroyedOrReplaced: changes
      .filter((c: any) => c.change.actions.includes("delete"))
      .map((c: any) => `${c.address}: ${c.change.actions.join("+")}`),
    created: changes
      .filter((c: any) => c.change.actions.join() === "create")
      .map((c: any) => c.address.replace(/^module\.image_processing\./, "")),
    imageKept,
    itemKept: item.Item?.ObjectKey === key,
    replanChanges: (replan.resource_changes ?? []).filter(
      (c: any) => c.mode === "managed" && !["no-op", "read"].includes(c.change.actions.join()),
    ).length,
  };
  await tf(["destroy", "-no-color", "-input=false", "-auto-approve", ...u.vars]);
  return report;
}

/**
 * Runs `request` with the bucket's policy lifted and put back: under the emulator's listed gap
 * (emulator-gaps.json, "process") its TLS-only Deny refuses every object request, even over TLS.
 */
async function policyLifted<T>(s3: S3Client, bucket: string, request: () => Promise<T>): Promise<T> {
  const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
  await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  try {
    return await request();
  } finally {
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy }));
  }
}

/**
 * What this version changes in place since each release, with the reason; anything else updated fails.
 * Besides, for every release: the processor function (its logging_config, the emulator's listed
 * re-plan gap, or its code when the bundle changed).
 */
const FUNCTION = /aws_lambda_function\.processor\.(logging_config|source_code_hash|filename|last_modified|qualified_arn|version)$/;
const EXPECTED: Record<Release, { created: string[]; moved: number; updates: RegExp[] }> = {
  "0.2.0": {
    created: ["aws_cloudwatch_metric_alarm.rejections"],
    moved: 30,
    updates: [
      /aws_kms_key\.pipeline(\[0\])?\.policy$/, // the new alarm, and CloudWatch Logs for every log group
      /aws_sns_topic_policy\.notifications\.policy$/, // the new alarm, and TLS for every topic action
      /aws_iam_role_policy\.processor\.policy$/, // ListBucketVersions, for deletions
      // In the module the bucket's resources are instance 0 since existing_bucket_name counts them (moved there).
      /aws_s3_bucket_notification\.images(\[0\])?\.lambda_function$/, // ObjectRemoved events
      /aws_s3_bucket_policy\.access_logs(\[0\])?\.policy$/, // TLS 1.2 on the access-log bucket (the module logs access)
      /aws_lambda_function\.processor\.environment$/, // the read budget's new defaults: MAX_READ_BYTES 2097152, MAX_READ_GETS 8
      /aws_iam_role\.processor\.assume_role_policy$/, // AWS's documented trust policy, without aws:SourceAccount (condition-citations.ts)
    ],
  },
  "0.4.0": {
    // Nothing since 0.4.0 changes a resource: the plan is moves-free and update-free.
    created: [],
    moved: 0,
    updates: [],
  },
};

it("plans from the oldest recorded release and from the newest one the code has changed since, each with what its upgrade is expected to change", () => {
  const [oldest, newest] = [RECORDED[0].version, RECORDED[RECORDED.length - 1].version];
  expect(Object.keys(RELEASES)[0]).toBe(oldest);
  expect(Object.keys(RELEASES).filter((release) => release !== oldest && release !== newest)).toEqual([]);
  expect(Object.keys(RELEASES).filter((release) => !EXPECTED[release])).toEqual([]);
});

describe.each(
  (Object.keys(RELEASES) as Release[]).flatMap((release) => ["image-processing-dev", "terraform-module"].map((name) => [release, name])),
)("from %s: %s", (release, name) => {
  it("plans only moves, in-place updates and what this version adds: nothing destroyed, nothing replaced", () => {
    const r = reports.get(`${release} ${name}`)!;
    const expected = EXPECTED[release as Release];

    expect(r.destroyedOrReplaced).toEqual([]);
    expect(r.created).toEqual(expected.created);
    expect(r.moved).toBeGreaterThanOrEqual(expected.moved);
    expect(Object.keys(r.actions).every((a) => a === "no-op" || a === "update" || a === "create")).toBe(true);
    expect(r.updates.filter((u) => !FUNCTION.test(u) && !expected.updates.some((allowed) => allowed.test(u)))).toEqual([]);
  });

  it("keeps the images and the items through the apply", () => {
    const r = reports.get(`${release} ${name}`)!;

    expect({ imageKept: r.imageKept, itemKept: r.itemKept }).toEqual({ imageKept: true, itemKept: true });
  });
});
