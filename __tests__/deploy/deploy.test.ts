// `npm run test:deploy`: real Terraform (validate, plan, apply, re-plan, destroy) on every
// synthesized stack and on the packaged module twice in one root (examples/two-instances), against moto.
// Each target is planned in one clean working directory and applied from that saved plan in
// another, as a review pipeline's two jobs would.
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { edgeList, nodeLabelled, parseFlowchart } from "../helpers/mermaid";
import { ALARM_COUNTS } from "../../constructs/naming/alarm-catalog";
import { type Context, type CycleReport, TARGETS, deployCycle } from "./deploy-cycle";
import { consumeFromGit, planModuleInputs, validateBasicExample } from "./side-jobs";
import { terraformEnvironment, warmPluginCache, withoutNode, writeCliConfig } from "./terraform";

const GAPS: { replan: { type: string; attribute: string; reason: string }[]; process: { type: string }[]; deploy: { type: string }[] } =
  JSON.parse(readFileSync(join(__dirname, "emulator-gaps.json"), "utf8"));
const isListedGap = (diff: { type: string; attribute: string; actions: string[] }) =>
  diff.actions.join() === "update" && GAPS.replan.some((gap) => gap.type === diff.type && gap.attribute === diff.attribute);

const ROOT = join(__dirname, "..", "..");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

const reports = new Map<string, CycleReport>();
let ctx: Context;
let releaseServer: Server | undefined;
afterAll(() => releaseServer?.close());
const failures = new Map<string, Error>();
/** A customer managed key for the module-inputs plan. */
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
let side: { basic: Promise<any>; inputs: Promise<any[]>; git: ReturnType<typeof consumeFromGit> };

beforeAll(async () => {
  const endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:deploy`");
  const region = "us-east-1";
  const work = mkdtempSync(join(tmpdir(), "image-processing-deploy-"));
  const env = terraformEnvironment(endpoint, writeCliConfig(work), region);
  ctx = { endpoint, region, work, stateBucket: "deploy-test-terraform-state", env, release: await serveRelease(work, env) };
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  await s3.send(new CreateBucketCommand({ Bucket: ctx.stateBucket }));
  await warmPluginCache(join(ctx.work, "plugin-cache-warm-up"), ctx.env);

  // The shorter jobs run meanwhile; their tests await them (a failure is the test's, not the suite's).
  side = { basic: validateBasicExample(ctx), inputs: planModuleInputs(ctx, KEY), git: consumeFromGit(ctx, version) };
  for (const job of Object.values(side)) job.catch(() => undefined);
  // The targets have distinct names, so they deploy side by side.
  await Promise.all(
    TARGETS.map((target) =>
      deployCycle(target, ctx).then(
        (report) => reports.set(target.name, report),
        (error) => failures.set(target.name, error),
      ),
    ),
  );
  const summary = [...reports.values()].map((r) => ({
    target: r.target,
    ...(r.synthesizedBy && { synthesizedBy: r.synthesizedBy }),
    validate: r.validate.valid ? `valid, ${r.validate.warnings} warnings` : "INVALID",
    applied: r.applied,
    replanDiffs: r.replanDiffs.map((d) => `${d.address}.${d.attribute}${isListedGap(d) ? " (listed gap)" : ""}`),
    uploads: r.uploads.map(
      (u) =>
        `${u.instance || "stack"}: ${u.item?.Status ?? "no item"}${u.derivatives ? `, renditions ${Object.keys(u.derivatives.renditions).sort().join(" + ") || "none"}` : ""}`,
    ),
    destroyed: r.destroyed.stateEmpty && r.destroyed.leftovers.length === 0,
    seconds: r.seconds,
  }));
  console.log(`deploy tally:\n${JSON.stringify(summary, null, 2)}`);
}, 1_200_000);

describe.each(TARGETS.map((t) => t.name))("%s under real Terraform", (name) => {
  const report = () => {
    const failure = failures.get(name);
    if (failure) throw failure;
    return reports.get(name)!;
  };

  it("validates with no errors and no warnings (deprecated attributes included)", () => {
    const { validate } = report();
    expect(validate.diagnostics).toEqual([]);
    expect(validate).toMatchObject({ valid: true, errors: 0, warnings: 0 });
  });

  it("plans only creations", () => {
    const r = report();
    expect(r.planned.other).toBe(0);
    expect(r.planned.create).toBeGreaterThan(20);
  });

  it("shows every policy on create but the role policies that name the pipeline's new KMS key, whose id AWS assigns", () => {
    const { policiesOnCreate } = report();

    // The processor's and the derivatives function's role policies grant use of the pipeline key by its ARN.
    expect(policiesOnCreate.unknown.filter((p) => !/aws_iam_role_policy\.(processor|derivatives)\.policy$/.test(p))).toEqual([]);
    // A trust policy, the key's, and the bucket, queue and topic policies at least.
    expect(policiesOnCreate.known.length).toBeGreaterThanOrEqual(5);
    for (const policy of policiesOnCreate.known) expect(policy.actions).toBeGreaterThan(0);
    // Every resource policy and trust policy names its principals.
    for (const policy of policiesOnCreate.known.filter((p) => !p.address.includes("aws_iam_role_policy.")))
      expect(policy.principals).toBeGreaterThan(0);
  });
});

describe.each(TARGETS.filter((t) => !t.planOnly).map((t) => t.name))("%s, applied", (name) => {
  const report = () => {
    const failure = failures.get(name);
    if (failure) throw failure;
    return reports.get(name)!;
  };

  it("applies every planned creation from the saved plan in a second, clean job", () => {
    const r = report();
    expect(r.applied).toBe(r.planned.create);
  });

  it("admits every use AWS makes of a key or resource policy in the applied state, and refuses the confused deputies", () => {
    const { serviceUseViolations } = report();
    expect(serviceUseViolations).toEqual([]);
  });

  it("re-plans with no change but the emulator's listed gaps", () => {
    const unexplained = report().replanDiffs.filter((diff) => !isListedGap(diff));
    expect(unexplained).toEqual([]);
  });

  it("deploys the code it was given and processes a real upload (a .Jpg key) into each bucket Terraform made", () => {
    const r = report();
    const target = TARGETS.find((t) => t.name === name)!;

    expect(r.uploads).toHaveLength(target.instances);
    expect(new Set(r.uploads.map((u) => u.bucket)).size).toBe(target.instances);
    for (const upload of r.uploads) {
      expect(upload.codeSha256Matches).toBe(true);
      // Worked around only while the emulator still shows its listed gap.
      expect(upload.policyGap).toBe(GAPS.process.some((gap) => gap.type === "aws_s3_bucket_policy"));
      expect(upload.item).toMatchObject({
        Status: "processed",
        DetectedFormat: "jpeg",
        Width: upload.expected.width,
        Height: upload.expected.height,
      });
    }
  });

  it("runs the derivatives part only where it is configured: the queued request, through the deployed code, into renditions in its bucket", () => {
    const target = TARGETS.find((t) => t.name === name)!;
    for (const upload of report().uploads) {
      if (!target.withDerivatives.includes(upload.instance)) {
        expect({ instance: upload.instance, derivatives: upload.derivatives }).toEqual({
          instance: upload.instance,
          derivatives: undefined,
        });
        continue;
      }
      expect(upload.derivatives).toMatchObject({ requests: 1, batchItemFailures: 0, codeSha256Matches: true });
      expect(Object.keys(upload.derivatives!.renditions).sort()).toEqual(["large", "thumbnail"]);
      for (const rendition of Object.values(upload.derivatives!.renditions)) expect(rendition.stored).toBe(true);
      // Applied after the log bucket's policy admitted it, or S3 would have refused the target.
      const { accessLogs } = upload.derivatives!;
      expect(accessLogs.logBucket).toMatch(/image-storage-logs-/);
      expect(accessLogs).toMatchObject({ targetBucket: accessLogs.logBucket, targetPrefix: "derivatives-access-logs/" });
    }
  });

  it("routes the upload of an EventBridge instance through the rule and queue Terraform made, and only there", () => {
    const target = TARGETS.find((t) => t.name === name)!;
    for (const upload of report().uploads) {
      const expected = target.withEventBridge.includes(upload.instance)
        ? { queued: 1, keys: ["deploy-test/photo one.Jpg"], batchItemFailures: 0 }
        : undefined;
      expect({ instance: upload.instance, eventBridge: upload.eventBridge }).toEqual({ instance: upload.instance, eventBridge: expected });
    }
    expect(report().uploads.filter((u) => u.eventBridge).length).toBe(target.withEventBridge.length);
  });

  it("destroys everything it applied", () => {
    expect(report().destroyed).toEqual({ stateEmpty: true, leftovers: [] });
  });
});

for (const target of TARGETS.filter((t) => t.framework))
  it(`${target.name} was synthesized by ${target.framework}, the framework it deploys from`, () => {
    const failure = failures.get(target.name);
    if (failure) throw failure;
    const version = JSON.parse(readFileSync(join(ROOT, "node_modules", target.framework!, "package.json"), "utf8")).version;

    expect(reports.get(target.name)!.synthesizedBy).toBe(version);
  });

for (const target of TARGETS.filter((t) => t.framework && !t.planOnly))
  it(`${target.name}: the other framework's synth plans no change against what ${target.framework}'s applied`, () => {
    const failure = failures.get(target.name);
    if (failure) throw failure;
    const diffs = reports.get(target.name)!.otherFlavorDiffs!;

    expect(diffs.filter((diff) => !isListedGap(diff))).toEqual([]);
  });

for (const name of TARGETS.filter((t) => t.kind === "release").map((t) => t.name))
  it(`${name} downloads, from the archive's URL, the release's tree byte for byte (the tree the package suite runs terraform test on)`, () => {
    const failure = failures.get(name);
    if (failure) throw failure;
    const { files, differing } = reports.get(name)!.downloadedModule!;

    expect(files.filter((file) => file.endsWith(".zip"))).toHaveLength(2);
    expect(files).toEqual(expect.arrayContaining(["main.tf", "versions.tf", "variables.tf", "outputs.tf", "moved.tf"]));
    expect(files.filter((file) => file.endsWith(".tf.json"))).toEqual([]);
    expect(differing).toEqual([]);
  });

for (const name of TARGETS.filter((t) => t.decommissionVars).map((t) => t.name))
  it(`${name} decommissions from the defaults as the module's README says: data_protection = false changes only the protection, then destroy empties everything`, () => {
    const failure = failures.get(name);
    if (failure) throw failure;
    const { decommissionDiffs, destroyed } = reports.get(name)!;
    const changed = decommissionDiffs!.filter((d) => !isListedGap(d)).map((d) => `${d.type}.${d.attribute} ${d.actions.join()}`);

    expect(new Set(changed)).toEqual(
      new Set(["aws_s3_bucket.force_destroy update", "aws_dynamodb_table.deletion_protection_enabled update"]),
    );
    // Every bucket of both instances (images, access logs, blue's derivatives) and both tables.
    expect(decommissionDiffs!.filter((d) => d.attribute === "force_destroy")).toHaveLength(5);
    expect(decommissionDiffs!.filter((d) => d.attribute === "deletion_protection_enabled")).toHaveLength(2);
    expect(destroyed).toEqual({ stateEmpty: true, leftovers: [] });
  });

for (const name of TARGETS.filter((t) => t.retagVars).map((t) => t.name))
  it(`${name} plans a change of tags alone as tags alone: no policy, nothing else`, () => {
    const failure = failures.get(name);
    if (failure) throw failure;
    const retagDiffs = reports.get(name)!.retagDiffs!;

    expect(retagDiffs.filter((d) => d.attribute === "tags").length).toBeGreaterThan(20);
    expect(
      retagDiffs.filter((d) => !isListedGap(d) && (!["tags", "tags_all"].includes(d.attribute) || d.actions.join() !== "update")),
    ).toEqual([]);
  });

for (const name of TARGETS.filter((t) => t.reviewVars).map((t) => t.name))
  describe(`${name}, its plans reviewed by image-pipeline diagram --plan and cost --plan`, () => {
    const review = () => {
      const failure = failures.get(name);
      if (failure) throw failure;
      return reports.get(name)!.review!;
    };
    const blue = 'module.image_processing["blue"]';
    const green = 'module.image_processing["green"]';

    it("draws each instance with what it has: blue's derivatives path, green's EventBridge path, both failure paths", () => {
      const { create } = review();
      const chart = parseFlowchart(create.mermaid);
      const edges = edgeList(chart);
      const inInstance = (instance: string, pattern: RegExp) => nodeLabelled(chart, pattern).groups[0] === instance;

      expect(create.exitCodes).toEqual([0, 0, 0, 0]);
      expect(inInstance(blue, /^Lambda function\nblue-ImageDerivatives-dev$/)).toBe(true);
      expect(inInstance(green, /^EventBridge rule .*\ngreen-ImageProcessor-Uploads-dev$/)).toBe(true);
      expect(chart.nodes.filter((n) => /green-ImageDerivatives|blue-ImageProcessor-Uploads/.test(n.label))).toEqual([]);
      expect(edges.filter((e) => e.endsWith(": reads originals"))).toEqual([
        "S3 bucket blue-image-storage-bucket-dev-123456789012 → Lambda function blue-ImageDerivatives-dev: reads originals",
      ]);
      expect(edges).toEqual(
        expect.arrayContaining([
          "S3 bucket blue-image-storage-bucket-dev-123456789012 → Lambda function blue-ImageProcessor-dev: ObjectCreated, ObjectRemoved, LifecycleExpiration",
          "Lambda function blue-ImageProcessor-dev → SQS queue blue-ImageDerivatives-dev: sends rendition requests",
          "SQS queue blue-ImageDerivatives-dev → Lambda function blue-ImageDerivatives-dev: batches of 4",
          "Lambda function blue-ImageDerivatives-dev → S3 bucket blue-image-derivatives-dev-123456789012: writes renditions",
          "SQS queue blue-ImageDerivatives-dev ⇢ SQS queue blue-ImageDerivatives-DLQ-dev: after repeated receives",
          "S3 bucket green-image-storage-bucket-dev-123456789012 → EventBridge rule (default bus) green-ImageProcessor-Uploads-dev: S3 events via EventBridge",
          "EventBridge rule (default bus) green-ImageProcessor-Uploads-dev → SQS queue green-ImageProcessor-Events-dev: matching events",
          "SQS queue green-ImageProcessor-Events-dev → Lambda function green-ImageProcessor-dev: batches of 10",
          "Lambda function green-ImageProcessor-dev ⇢ SQS queue green-ImageProcessor-DLQ-dev: failed events after 2 retries",
          `CloudWatch alarms (${ALARM_COUNTS.processor + ALARM_COUNTS.eventQueue}) → SNS topic green-ImageProcessingNotifications-dev: alarm and OK`,
        ]),
      );
      expect(create.svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*blue&#45;ImageDerivatives&#45;dev/);
    });

    it("prices the create plan from nothing, and the plan turning green's derivatives on as green's derivatives alone", () => {
      const { create, change } = review();

      expect(create.cost.beforeUsdPerMonth).toBe(0);
      expect(create.cost.afterUsdPerMonth).toBeGreaterThan(0);
      const components = (lines: any[], instance: string) => new Set(lines.filter((l) => l.instance === instance).map((l) => l.component));
      expect(components(create.cost.after.lines, blue)).toContain("Lambda blue-ImageDerivatives-dev");
      expect([...components(create.cost.after.lines, green)].filter((c) => /Derivatives|derivatives/.test(c))).toEqual([]);
      expect(components(create.cost.after.lines, green)).toContain("EventBridge");

      // After apply, the prior state is what the create plan planned: the same estimate before the change,
      // though the emulator's state holds no rotation period for the keys (emulator-gaps.json, "deploy").
      expect(change!.exitCodes).toEqual([0, 0, 0, 0]);
      expect(change!.priorKeyRotationPeriods).toEqual([0, 0]);
      expect(GAPS.deploy.some((gap) => gap.type === "aws_kms_key")).toBe(true);
      expect(change!.cost.beforeUsdPerMonth).toBeCloseTo(create.cost.afterUsdPerMonth, 1);
      expect(change!.cost.differenceUsdPerMonth).toBeGreaterThan(0);
      expect(change!.cost.changes.map((c: any) => c.instance)).toEqual(change!.cost.changes.map(() => green));
      const changed = change!.cost.changes.map((c: any) => c.component);
      expect(changed).toEqual(expect.arrayContaining(["Lambda green-ImageDerivatives-dev", "S3 derivatives"]));
      // By address, as Infracost's diff reads: green's derivatives child module, and nothing of blue's.
      expect(change!.costByResource).toMatch(/^│ resource /m);
      expect(change!.costByResource).toContain(`${green}.module.derivatives[0].aws_lambda_function.derivatives `);
      expect(change!.costByResource).not.toContain(blue);
      // Green's derivatives cost what blue's do: the same renditions, memory and volume.
      const blueDerivatives = create.cost.after.lines.filter(
        (l: any) => l.instance === blue && l.component === "Lambda blue-ImageDerivatives-dev",
      );
      const greenDerivatives = change!.cost.changes.find((c: any) => c.component === "Lambda green-ImageDerivatives-dev");
      expect(greenDerivatives.afterUsdPerMonth).toBeCloseTo(
        blueDerivatives.reduce((s: number, l: any) => s + l.usdPerMonth, 0),
        1,
      );
    });
  });

it("lists only emulator gaps that still show up", () => {
  const seen = [...reports.values()].flatMap((r) => r.replanDiffs.filter(isListedGap));
  for (const gap of GAPS.replan) {
    expect(seen.some((diff) => diff.type === gap.type && diff.attribute === gap.attribute)).toBe(true);
  }
});

it("validates examples/basic, the one-instance root module, against the same packaged module", async () => {
  const validation = await side.basic;
  const diagnostics = (validation.diagnostics ?? []).map((d: any) => `${d.severity}: ${d.summary} ${d.detail ?? ""}`.trim());

  expect({ ...validation, diagnostics }).toMatchObject({ valid: true, error_count: 0, warning_count: 0, diagnostics: [] });
});

it("plans SSE-KMS with the bucket key, the processor's decrypt grant and the merged tags only for the instance given bucket_kms_key_arn and tags", async () => {
  const changes = await side.inputs;
  const planned = (instance: string, type: string) =>
    changes
      .filter((c) => c.module_address === `module.${instance}` && c.type === type)
      .map((c) => ({ address: c.address, ...c.change.after }));
  const imageBucketEncryption = (instance: string) =>
    planned(instance, "aws_s3_bucket_server_side_encryption_configuration").find((c) =>
      // Instance 0: the module counts its bucket's resources out for existing_bucket_name.
      c.address.endsWith(".aws_s3_bucket_server_side_encryption_configuration.images[0]"),
    );

  expect(imageBucketEncryption("keyed").rule).toEqual([
    { apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms", kms_master_key_id: KEY }], bucket_key_enabled: true },
  ]);
  // The provider plans an unset key id as "".
  expect(imageBucketEncryption("plain").rule[0].apply_server_side_encryption_by_default).toEqual([
    { sse_algorithm: "AES256", kms_master_key_id: "" },
  ]);
  const grants = (instance: string) =>
    planned(instance, "aws_iam_role_policy").filter((p) => /\.aws_iam_role_policy\.processor_decrypt_images(\[0\])?$/.test(p.address));
  expect(grants("plain")).toEqual([]);
  expect(grants("keyed")).toHaveLength(1);
  expect(JSON.parse(grants("keyed")[0].policy).Statement).toEqual([
    expect.objectContaining({
      Sid: "DecryptImages",
      Action: "kms:Decrypt",
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
    }),
  ]);
  expect(
    planned("keyed", "aws_s3_bucket")
      .map((b) => b.tags)
      .sort((a, b) => a.Purpose.localeCompare(b.Purpose)),
  ).toEqual([
    { Team: "media", Purpose: "ImageStorage" },
    { Team: "media", Purpose: "ImageStorageAccessLogs" },
  ]);
  expect(planned("keyed", "aws_lambda_function")[0].tags).toEqual({ Team: "media" });
}, 300_000);

it("shows the emulator's listed SQS gap: a SetQueueAttributes of the redrive policy alone erases the access policy", async () => {
  // Arrange: a queue with an access policy, as aws_sqs_queue_policy leaves it.
  const sqs = new SQSClient({
    endpoint: ctx.endpoint,
    region: ctx.region,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "gap-sqs-policy-order" }));
  const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "gap-sqs-policy-order-dlq" }));
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ],
  });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: policy } }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn;

  // Act: what aws_sqs_queue_redrive_policy sends.
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
    }),
  );
  const after = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes ?? {};
  await Promise.all([QueueUrl, dlqUrl].map((url) => sqs.send(new DeleteQueueCommand({ QueueUrl: url }))));

  // Assert: the gap is there while it is listed (real SQS keeps the policy), and the ordering that avoids it stays.
  expect(after.RedrivePolicy).toBeDefined();
  expect(after.Policy === undefined).toBe(GAPS.deploy.some((gap) => gap.type === "aws_sqs_queue_policy"));
});

it("consumes the release from its git repository at the tag, with no node on the PATH: init, validate, plan, and the archive's tree byte for byte", async () => {
  const { env, downloaded, validation, plan, checkedOut, differing } = await side.git;

  // Assert
  expect(execFileSync("/bin/sh", ["-c", "command -v node || command -v npm || echo none"], { env, encoding: "utf8" }).trim()).toBe("none");
  expect(validation).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
  expect(existsSync(join(downloaded, "versions.tf"))).toBe(true);
  const creates = plan.resource_changes.filter((c: any) => c.mode === "managed" && c.change.actions.join() === "create");
  expect(creates.length).toBeGreaterThan(30);
  expect(plan.resource_changes.filter((c: any) => c.mode === "managed" && c.change.actions.join() !== "create")).toEqual([]);
  expect(creates.map((c: any) => c.address)).toEqual(
    expect.arrayContaining(["module.image_processing.aws_s3_bucket.images[0]", "module.image_processing.aws_lambda_function.processor"]),
  );
  // What the release target applied, tested and destroyed, to the byte: both zips included.
  expect(checkedOut.filter((file) => file.endsWith(".zip")).length).toBe(2);
  expect(differing).toEqual([]);
}, 600_000);

/**
 * npm run release into the suite's folder, its archive served on loopback as a release page would
 * serve it, and the environment that consumes it: terraform and git on the PATH, no node.
 */
async function serveRelease(work: string, env: NodeJS.ProcessEnv): Promise<Context["release"]> {
  const out = join(work, "release");
  execFileSync(process.execPath, [join(ROOT, "scripts", "release.mjs"), "--out", out], {
    cwd: ROOT,
    env: { ...process.env, RELEASE_ALLOW_DIRTY: "1" },
    stdio: "pipe",
  });
  const files = new Set(readdirSync(out).filter((f) => f.endsWith(".tgz")));
  releaseServer = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname.slice(1));
    if (request.method !== "GET" || !files.has(name)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "application/gzip" });
    createReadStream(join(out, name)).pipe(response);
  });
  await new Promise<void>((resolve) => releaseServer!.listen(0, "127.0.0.1", resolve));
  const { port } = releaseServer.address() as AddressInfo;
  return {
    moduleDir: join(out, "terraform-aws-image-processing"),
    archiveUrl: `http://127.0.0.1:${port}/terraform-aws-image-processing-${version}.tgz`,
    env: withoutNode(env, work),
  };
}
