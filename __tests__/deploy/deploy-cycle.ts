// One target's life under real Terraform against the emulator: the plan job, the apply job
// (a separate, clean working directory prepared only by the README's steps), a re-plan, the
// deployed bundle run on a real upload, decommissioning and destroy.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { unzipSync } from "fflate";
import { imageSize } from "image-size";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand, DynamoDBClient, UpdateTableCommand } from "@aws-sdk/client-dynamodb";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteBucketPolicyCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  GetBucketLoggingCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { image } from "../fixtures";
import { type Invoke, bundleEnvironment, eventFor, invoker, startWorker } from "../integration/harness";
import { serviceUseViolations } from "../helpers/service-uses";
import { type PlanReview, reviewPlan } from "./plan-review";
import { type AttributeDiff, type PoliciesOnCreate, managedResources, plannedDiffs, policiesOnCreate, terraform } from "./terraform";

const ROOT = join(__dirname, "..", "..");

/**
 * A stack of the cdktf app; the packaged module through one of the examples (`module`); or the
 * released module (`release`, npm run release) through its own example, with the example's source
 * an archive URL that Terraform downloads, and Terraform run with no node or npm on its PATH.
 */
export interface DeployTarget {
  readonly name: string;
  readonly kind: "stack" | "module" | "release";
  /** Where the target's root module is, inside a job's working directory. */
  readonly rootDir: string;
  /** Variables the plan and destroy take. */
  readonly vars: string[];
  /** Pipelines the target deploys. */
  readonly instances: number;
  /** The instances (module addresses) that make renditions. */
  readonly withDerivatives: readonly string[];
  /** The instances (module addresses) whose bucket's events reach the processor through EventBridge. */
  readonly withEventBridge: readonly string[];
  /** Variables that change only the tags, for a plan after apply that must touch nothing else. */
  readonly retagVars?: string[];
  /** A change planned after apply, for `cost --plan` to price (with the create plan, for `diagram --plan`). */
  readonly reviewVars?: string[];
  /** For a stack: the framework flavor that synthesizes it (CDK_FRAMEWORK; scripts/frameworks.cjs). */
  readonly framework?: "cdktf" | "cdktn";
  /** Validated and planned, not applied: what applying it would prove, another target's apply does. */
  readonly planOnly?: boolean;
  /**
   * For a target deployed with its data protected (the module's `data_protection`, on by default):
   * the variables of its documented decommission, applied and then destroyed, instead of an
   * operator emptying the buckets and lifting the table's protection by hand.
   */
  readonly decommissionVars?: string[];
}

/** What examples/two-instances asks of every plan: the environment, and who its alarms reach. */
const RELEASE_EXAMPLE_VARS = ["-var=environment=dev", "-var=notification_email=images-dev@example.com"];

const ALL_TARGETS: DeployTarget[] = [
  // dev as CDK Terrain synthesizes it, staging and prod as cdktf does (the package suite shows the
  // two flavors' stacks equal but for the framework's version in their metadata); each is then
  // re-planned as the other framework synthesizes it.
  // staging is validated and planned only: its resources are prod's but for prod's log retention
  // and reserved concurrency (main.ts), and prod's apply, uploads and destroy cover them.
  ...["dev", "staging", "prod"].map((env) => ({
    name: `image-processing-${env}`,
    kind: "stack" as const,
    rootDir: ".",
    vars: [],
    instances: 1,
    withDerivatives: [],
    withEventBridge: [],
    framework: env === "dev" ? ("cdktn" as const) : ("cdktf" as const),
    planOnly: env === "staging",
  })),
  // The released module twice in one root (for_each, told apart by name_prefix), with the dev stack's
  // environment name: what would collide with the stack or between the two instances, does.
  // Only blue has derivatives: the module both with and without its derivatives part. Only green
  // has EventBridge delivery: the module both with and without it.
  {
    name: "terraform-module",
    kind: "release",
    rootDir: join("examples", "two-instances"),
    // The example's defaults: data protected, so alarms must reach someone.
    vars: RELEASE_EXAMPLE_VARS,
    instances: 2,
    withDerivatives: ['module.image_processing["blue"].'],
    withEventBridge: ['module.image_processing["green"].'],
    retagVars: [...RELEASE_EXAMPLE_VARS, '-var=tags={"Purpose"="ImageProcessing","CostCenter"="42"}'],
    // Turning derivatives on for green too.
    reviewVars: [...RELEASE_EXAMPLE_VARS, '-var=with_derivatives=["blue","green"]'],
    decommissionVars: [...RELEASE_EXAMPLE_VARS, "-var=data_protection=false"],
  },
];

/** Every target, or only those named in DEPLOY_TARGETS (comma-separated; for working on one of them). */
export const TARGETS: DeployTarget[] = process.env.DEPLOY_TARGETS
  ? ALL_TARGETS.filter((t) => process.env.DEPLOY_TARGETS!.split(",").includes(t.name))
  : ALL_TARGETS;

/** One pipeline's real upload, processed by its deployed code. */
export interface UploadReport {
  /** The module instance (`module.image_processing["blue"].`), or "" for a stack. */
  readonly instance: string;
  readonly bucket: string;
  readonly item?: Record<string, any>;
  readonly expected: { width: number; height: number };
  readonly codeSha256Matches: boolean;
  /** The image bucket's policy denied the upload (the emulator gap listed under "process"). */
  readonly policyGap: boolean;
  /** With derivatives: the request the processor queued, run through the deployed derivatives code. */
  readonly derivatives?: DerivativesReport;
  /** With EventBridge delivery: the events the emulator's EventBridge queued for the upload (through the rule Terraform made), and the failures the deployed code reported. */
  readonly eventBridge?: { readonly queued: number; readonly keys: string[]; readonly batchItemFailures: number };
}

export interface DerivativesReport {
  readonly requests: number;
  readonly batchItemFailures: number;
  readonly codeSha256Matches: boolean;
  /** Rendition name → what the item records and whether the object is in the derivatives bucket with those bytes. */
  readonly renditions: Record<string, { key: string; bytes: number; stored: boolean }>;
  /** The derivatives bucket's server access logging as S3 has it after apply, and the instance's log bucket. */
  readonly accessLogs: { readonly targetBucket?: string; readonly targetPrefix?: string; readonly logBucket?: string };
}

export interface Context {
  readonly endpoint: string;
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
  readonly work: string;
  readonly stateBucket: string;
  /** The release (npm run release) as consumers reach it: its archive's URL on loopback, and `env` with no node on the PATH. */
  readonly release?: { readonly moduleDir: string; readonly archiveUrl: string; readonly env: NodeJS.ProcessEnv };
}

/** The environment a target's Terraform commands run with: a release is consumed with no node or npm on the PATH. */
const envFor = (target: DeployTarget, ctx: Context): NodeJS.ProcessEnv => {
  if (target.kind !== "release") return ctx.env;
  if (!ctx.release) throw new Error(`${target.name} consumes the release: the suite must build and serve it first`);
  return ctx.release.env;
};

export interface CycleReport {
  readonly target: string;
  /** For a stack: the framework version its synthesized JSON records ("//".metadata.version). */
  synthesizedBy?: string;
  validate: { valid: boolean; errors: number; warnings: number; diagnostics: string[] };
  planned: { create: number; other: number };
  applied: number;
  /** Every use of a key or resource policy in the applied state that the IAM policy engine decides otherwise than AWS must (helpers/service-uses.ts). */
  serviceUseViolations: string[];
  replanDiffs: AttributeDiff[];
  /** For a release: the module init downloaded, file by file against the release's tree. */
  downloadedModule?: TreeComparison;
  /** For a stack with a framework: the plan of the other flavor's synth against the applied state. */
  otherFlavorDiffs?: AttributeDiff[];
  /** The plan of a tags-only change after apply (targets with retagVars). */
  retagDiffs?: AttributeDiff[];
  /** diagram and cost of the create plan, and cost of the reviewVars change (targets with reviewVars). */
  review?: { create: PlanReview; change?: PlanReview };
  /** On create: every policy argument the plan does not know yet, and the actions and principals of those it knows. */
  policiesOnCreate: PoliciesOnCreate;
  uploads: UploadReport[];
  /** For a target with decommissionVars: what the decommission's apply changed, before the destroy. */
  decommissionDiffs?: AttributeDiff[];
  destroyed: { stateEmpty: boolean; leftovers: string[] };
  seconds: Record<string, number>;
}

/**
 * What the README documents for a job that plans or applies: a synthesized stack (or the
 * packaged module beside the target's example) from the same commit, then `terraform init` with the
 * environment's backend settings. Each call is a separate, clean synth.
 */
export function prepareJob(target: DeployTarget, ctx: Context, job: string): string {
  const dir = join(ctx.work, target.name, job);
  mkdirSync(dir, { recursive: true });
  if (target.kind === "stack") {
    const out = join(ctx.work, target.name, `${job}-synth`);
    // As a shared environment's job synthesizes: remote state named by TF_STATE_BUCKET (the emulator's settings at init).
    run(process.execPath, [join(ROOT, "scripts", "synth.mjs")], {
      CDKTF_OUTDIR: out,
      MODULE_OUTDIR: join(out, "terraform-module"),
      TF_STATE_BUCKET: ctx.stateBucket,
      TF_STATE_REGION: ctx.region,
      CDK_FRAMEWORK: target.framework ?? "cdktf",
    });
    cpSync(join(out, "stacks", target.name), dir, { recursive: true });
  } else if (target.kind === "release") {
    // Only the example's root module: the module itself comes from the archive's URL, as a consumer's would.
    const root = join(dir, target.rootDir);
    cpSync(join(ctx.release!.moduleDir, target.rootDir), root, { recursive: true });
    const main = readFileSync(join(root, "main.tf"), "utf8");
    if (!main.includes('source   = "../../"'))
      throw new Error(`${target.rootDir}/main.tf of the release has no source = "../../" to point at the archive`);
    writeFileSync(join(root, "main.tf"), main.replace('source   = "../../"', `source   = ${JSON.stringify(ctx.release!.archiveUrl)}`));
    writeFileSync(join(root, "backend.tf.json"), JSON.stringify({ terraform: { backend: { s3: {} } } }));
  } else {
    packageModuleInto(dir);
    cpSync(join(ROOT, target.rootDir), join(dir, target.rootDir), { recursive: true });
    // The example keeps state locally unless told otherwise; a shared backend is what lets two jobs meet.
    writeFileSync(join(dir, target.rootDir, "backend.tf.json"), JSON.stringify({ terraform: { backend: { s3: {} } } }));
  }
  // The environment's backend settings, as `terraform init -backend-config=FILE` takes them.
  writeFileSync(
    join(dir, "emulator.s3.tfbackend"),
    [
      `bucket = "${ctx.stateBucket}"`,
      `key = "${target.name}/terraform.tfstate"`,
      `region = "${ctx.region}"`,
      `endpoints = { s3 = "${ctx.endpoint}" }`,
      "use_path_style = true",
      "use_lockfile = true",
      "skip_credentials_validation = true",
      "skip_requesting_account_id = true",
      "skip_metadata_api_check = true",
      "",
    ].join("\n"),
  );
  return dir;
}

/** The packaged module at `<dir>/dist/terraform-module`, where the examples' `source` points. */
export function packageModuleInto(dir: string): void {
  run(process.execPath, [join(ROOT, "scripts", "package-module.mjs"), "--out", join(dir, "dist", "terraform-module")]);
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr}\n${result.stdout}`);
}

/** Two folders' files (their `.terraform` and `.git` left out), and those whose bytes differ or that only one holds. */
export interface TreeComparison {
  readonly files: string[];
  readonly differing: string[];
}

export function compareTrees(dir: string, reference: string): TreeComparison {
  const tree = (root: string) =>
    readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((file) => !file.split("/").some((part) => part === ".git" || part === ".terraform") && statSync(join(root, file)).isFile())
      .sort();
  const files = tree(dir);
  const theirs = tree(reference);
  const differing = [...new Set([...files, ...theirs])].filter(
    (file) => !files.includes(file) || !theirs.includes(file) || !readFileSync(join(dir, file)).equals(readFileSync(join(reference, file))),
  );
  return { files, differing };
}

const timed = async <T>(seconds: Record<string, number>, step: string, work: () => Promise<T>): Promise<T> => {
  const start = Date.now();
  try {
    return await work();
  } finally {
    seconds[step] = (Date.now() - start) / 1000;
  }
};

export async function deployCycle(target: DeployTarget, ctx: Context): Promise<CycleReport> {
  const seconds: Record<string, number> = {};
  const report: CycleReport = {
    target: target.name,
    validate: { valid: false, errors: 0, warnings: 0, diagnostics: [] },
    planned: { create: 0, other: 0 },
    applied: 0,
    serviceUseViolations: [],
    replanDiffs: [],
    policiesOnCreate: { unknown: [], known: [] },
    uploads: [],
    destroyed: { stateEmpty: false, leftovers: [] },
    seconds,
  };
  const env = envFor(target, ctx);
  const tf = (dir: string, args: string[], allow?: number[]) => terraform(join(dir, target.rootDir), env, args, allow);
  const backend = (dir: string) => `-backend-config=${join(dir, "emulator.s3.tfbackend")}`;

  // The plan job.
  const planJob = prepareJob(target, ctx, "plan-job");
  if (target.kind === "stack") report.synthesizedBy = JSON.parse(readFileSync(join(planJob, "cdk.tf.json"), "utf8"))["//"].metadata.version;
  await timed(seconds, "init", () => tf(planJob, ["init", "-no-color", backend(planJob)]));
  const validate = async () => JSON.parse((await tf(planJob, ["validate", "-json", "-no-color"], [0, 1])).stdout);
  let validation = await validate();
  // Terraform's shared plugin cache can lose a link made during another directory's init running
  // at the same time ("no package ... cached in .terraform/providers"): init again re-links it.
  if (
    (validation.diagnostics ?? []).some((d: any) =>
      /no package for .* cached in \.terraform\/providers/.test(`${d.summary} ${d.detail ?? ""}`),
    )
  ) {
    await tf(planJob, ["init", "-no-color", backend(planJob)]);
    validation = await validate();
  }
  report.validate = {
    valid: validation.valid,
    errors: validation.error_count,
    warnings: validation.warning_count,
    diagnostics: (validation.diagnostics ?? []).map((d: any) => `${d.severity}: ${d.summary} ${d.detail ?? ""}`.trim()),
  };
  if (!validation.valid) return report;
  if (target.kind === "release") {
    // What init downloaded from the archive's URL, against the release's own tree: the package
    // suite runs that tree's `terraform test` (release.test.ts), so the same bytes need not be tested twice.
    const downloaded = join(planJob, target.rootDir, ".terraform", "modules", "image_processing");
    report.downloadedModule = compareTrees(downloaded, ctx.release!.moduleDir);
  }
  const planFile = join(planJob, "review.tfplan");
  await timed(seconds, "plan", () => tf(planJob, ["plan", "-no-color", "-input=false", ...target.vars, `-out=${planFile}`]));
  const plan = JSON.parse((await tf(planJob, ["show", "-json", planFile])).stdout);
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    if (change.change.actions.join() === "create") report.planned.create++;
    else report.planned.other++;
  }
  report.policiesOnCreate = policiesOnCreate(plan);
  if (target.reviewVars) report.review = { create: await reviewPlan(plan, planJob, "create") };
  if (target.planOnly) return report;

  // The apply job: a fresh synth in another directory, `init`, and the plan file from the plan job.
  const applyJob = prepareJob(target, ctx, "apply-job");
  await tf(applyJob, ["init", "-no-color", backend(applyJob)]);
  await timed(seconds, "apply", () => tf(applyJob, ["apply", "-no-color", "-input=false", planFile]));
  const state = JSON.parse((await tf(applyJob, ["show", "-json"])).stdout);
  const resources = managedResources(state);
  report.applied = resources.length;
  // moto's account; the policies as Terraform applied them, the module's child modules included.
  report.serviceUseViolations = serviceUseViolations(resources, { account: "123456789012", region: ctx.region });

  // Re-plan: nothing may change but the emulator's listed gaps.
  const replanFile = join(applyJob, "replan.tfplan");
  await timed(seconds, "replan", () => tf(applyJob, ["plan", "-no-color", "-input=false", ...target.vars, `-out=${replanFile}`]));
  report.replanDiffs = plannedDiffs(JSON.parse((await tf(applyJob, ["show", "-json", replanFile])).stdout));
  if (target.framework) {
    // The same stack synthesized by the other flavor, in a job of its own against the same state:
    // moving between cdktf and CDK Terrain must plan nothing (docs/cdk-terrain.md).
    const other = target.framework === "cdktn" ? "cdktf" : "cdktn";
    const otherJob = prepareJob({ ...target, framework: other }, ctx, `${other}-job`);
    await tf(otherJob, ["init", "-no-color", backend(otherJob)]);
    const otherFile = join(otherJob, "other-flavor.tfplan");
    await timed(seconds, `replan-${other}`, () => tf(otherJob, ["plan", "-no-color", "-input=false", ...target.vars, `-out=${otherFile}`]));
    report.otherFlavorDiffs = plannedDiffs(JSON.parse((await tf(otherJob, ["show", "-json", otherFile])).stdout));
  }
  // The tags-only plan and the review's change side by side: the review's plan, read only, takes no lock.
  const retag = async () => {
    const retagFile = join(applyJob, "retag.tfplan");
    await timed(seconds, "retag", () => tf(applyJob, ["plan", "-no-color", "-input=false", ...target.retagVars!, `-out=${retagFile}`]));
    report.retagDiffs = plannedDiffs(JSON.parse((await tf(applyJob, ["show", "-json", retagFile])).stdout));
  };
  const review = async () => {
    const reviewFile = join(applyJob, "review-change.tfplan");
    const plan = ["plan", "-no-color", "-input=false", "-lock=false", ...target.reviewVars!, `-out=${reviewFile}`];
    await timed(seconds, "review", () => tf(applyJob, plan));
    report.review!.change = await reviewPlan(JSON.parse((await tf(applyJob, ["show", "-json", reviewFile])).stdout), applyJob, "change");
  };
  await Promise.all([target.retagVars && retag(), target.reviewVars && report.review && review()]);

  // A real upload into each bucket Terraform made, processed by the code Terraform deployed beside it.
  await timed(seconds, "process", async () => {
    for (const [instance, own] of byInstance(resources)) {
      report.uploads.push(await processUpload(ctx, instance, own, join(applyJob, target.rootDir)));
    }
  });

  await timed(seconds, "destroy", async () => {
    if (target.decommissionVars) {
      // As the module's README says: data_protection = false, apply, destroy; nothing emptied by hand.
      const file = join(applyJob, "decommission.tfplan");
      await tf(applyJob, ["plan", "-no-color", "-input=false", ...target.decommissionVars, `-out=${file}`]);
      report.decommissionDiffs = plannedDiffs(JSON.parse((await tf(applyJob, ["show", "-json", file])).stdout));
      await tf(applyJob, ["apply", "-no-color", "-input=false", file]);
      await tf(applyJob, ["destroy", "-no-color", "-input=false", ...target.decommissionVars, "-auto-approve"]);
      return;
    }
    // Decommission as docs/app.md says (empty the buckets, lift deletion protection), then destroy.
    await decommission(
      ctx,
      resources,
      report.uploads.some((u) => u.policyGap),
    );
    await tf(applyJob, ["destroy", "-no-color", "-input=false", ...target.vars, "-auto-approve"]);
  });
  // Read from the backend directly: `terraform show` of an emptied state read back from moto hangs on a ranged GET.
  report.destroyed = { stateEmpty: (await remoteStateResources(ctx, target)).length === 0, leftovers: await leftovers(ctx, resources) };
  return report;
}

const clients = (ctx: Context) => {
  const config = {
    endpoint: ctx.endpoint,
    region: ctx.region,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  return {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    dynamodb: new DynamoDBClient(config),
    lambda: new LambdaClient(config),
    iam: new IAMClient(config),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    logs: new CloudWatchLogsClient(config),
    kms: new KMSClient(config),
  };
};

/** The resources of the target's state object in the backend (an empty list after destroy). */
async function remoteStateResources(ctx: Context, target: DeployTarget): Promise<unknown[]> {
  const object = await clients(ctx).s3.send(new GetObjectCommand({ Bucket: ctx.stateBucket, Key: `${target.name}/terraform.tfstate` }));
  return JSON.parse(await object.Body!.transformToString()).resources ?? [];
}

const ofType = (resources: any[], type: string) => resources.filter((r) => r.type === type).map((r) => r.values);
const one = (resources: any[], type: string, predicate: (v: any) => boolean = () => true) => {
  const found = ofType(resources, type).filter(predicate);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};

/** The resources of each pipeline: grouped by the module instance their address starts with (its derivatives child module's with it). */
function byInstance(resources: any[]): Map<string, any[]> {
  const groups = new Map<string, any[]>();
  for (const resource of resources) {
    const instance = resource.address
      .slice(0, resource.address.lastIndexOf(`${resource.type}.`))
      .replace(/module\.derivatives\[0\]\.$/, "");
    groups.set(instance, [...(groups.get(instance) ?? []), resource]);
  }
  return groups;
}

/**
 * Runs the function as Terraform deployed it: the zip Terraform uploaded (its hash checked against
 * the function's CodeSha256), unpacked and run in a worker process with the environment the
 * emulator holds for the function, which cannot run it itself. `work` gets the worker's invoke.
 */
export async function withDeployedCode<T>(
  ctx: Context,
  fn: { function_name: string; filename: string },
  rootDir: string,
  work: (invoke: Invoke) => Promise<T>,
  extraEnvironment: Record<string, string> = {},
): Promise<{ result: T; codeSha256Matches: boolean }> {
  const configuration = await clients(ctx).lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.function_name }));
  const zip = readFileSync(resolve(rootDir, fn.filename));
  const codeSha256Matches = createHash("sha256").update(zip).digest("base64") === configuration.CodeSha256;
  const codeDir = join(ctx.work, `code-${fn.function_name}`);
  for (const [name, bytes] of Object.entries(unzipSync(zip))) {
    mkdirSync(dirname(join(codeDir, name)), { recursive: true });
    writeFileSync(join(codeDir, name), bytes);
  }
  const worker = startWorker({
    ...bundleEnvironment(configuration.Environment?.Variables ?? {}, join(codeDir, "index.js"), ctx.endpoint, ctx.region),
    ...extraEnvironment,
  });
  try {
    return { result: await work(await invoker(worker)), codeSha256Matches };
  } finally {
    worker.kill();
  }
}

const isDerivativesFunction = (f: { function_name: string }) => /ImageDerivatives-/.test(f.function_name);

export async function processUpload(ctx: Context, instance: string, resources: any[], rootDir: string): Promise<UploadReport> {
  const aws = clients(ctx);
  const fn = one(resources, "aws_lambda_function", (f) => !isDerivativesFunction(f));
  const bucket = one(resources, "aws_s3_bucket", (b) => /^([a-z0-9-]+-)?image-storage-bucket-/.test(b.bucket)).bucket;
  const table = one(resources, "aws_dynamodb_table").name;

  const body = image("baseline-exif.jpg");
  // Mixed case: S3's case-sensitive suffix filters would have let this one through unprocessed.
  const key = "deploy-test/photo one.Jpg";
  const upload = () => aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "image/jpeg" }));
  // The emulator's listed policy gap (emulator-gaps.json): shown first, then worked around for this step only.
  const policyGap = await upload().then(
    () => false,
    (error) => {
      if (error.$metadata?.httpStatusCode !== 403) throw error;
      return true;
    },
  );
  // Every bucket of the instance: the derivatives function writes to its own.
  const policies = ofType(resources, "aws_s3_bucket_policy");
  if (policyGap) for (const p of policies) await aws.s3.send(new DeleteBucketPolicyCommand({ Bucket: p.bucket }));
  let codeSha256Matches: boolean;
  let derivatives: DerivativesReport | undefined;
  let eventBridge: UploadReport["eventBridge"];
  try {
    const put = await upload();
    const eventQueue = ofType(resources, "aws_sqs_queue").find((q) => /ImageProcessor-Events-(?!DLQ-)/.test(q.name));
    // With EventBridge delivery the upload's event is the one the emulator's EventBridge put on the queue Terraform made.
    const event = eventQueue ? await queuedBatch(ctx, eventQueue) : eventFor({ region: ctx.region, bucket }, key, body.length, put).event;
    let result: any;
    ({ codeSha256Matches, result } = await withDeployedCode(ctx, fn, rootDir, (invoke) => invoke(event)));
    if (eventQueue) {
      const records = (event as { Records: { body: string }[] }).Records;
      eventBridge = {
        queued: records.length,
        keys: records.map((r) => JSON.parse(r.body).detail.object.key),
        batchItemFailures: result.batchItemFailures?.length ?? -1,
      };
    }
    const derivativesFn = ofType(resources, "aws_lambda_function").find(isDerivativesFunction);
    if (derivativesFn) derivatives = await makeRenditions(ctx, resources, derivativesFn, table, rootDir);
  } finally {
    if (policyGap) for (const p of policies) await aws.s3.send(new PutBucketPolicyCommand({ Bucket: p.bucket, Policy: p.policy }));
  }
  const documents = DynamoDBDocumentClient.from(aws.dynamodb);
  const items = (await documents.send(new ScanCommand({ TableName: table }))).Items ?? [];
  const { width, height } = imageSize(body);
  return {
    instance,
    bucket,
    item: items.find((i) => i.ObjectKey === key),
    expected: { width, height },
    codeSha256Matches,
    policyGap,
    derivatives,
    eventBridge,
  };
}

/** The messages waiting on a queue Terraform made, as Lambda's event source mapping hands them over. */
export async function queuedBatch(ctx: Context, queue: { url: string; arn: string }) {
  const { Messages = [] } = await clients(ctx).sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
  );
  return {
    Records: Messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      eventSource: "aws:sqs",
      eventSourceARN: queue.arn,
      awsRegion: ctx.region,
    })),
  };
}

/**
 * The derivatives part as Terraform deployed it: the request the processor sent to the queue
 * Terraform made, handed as Lambda's event source mapping would to the zip Terraform uploaded.
 * The zip holds sharp for linux-arm64; on this machine the same sharp version's x64 binaries
 * are found through NODE_PATH, as the integration suite runs it.
 */
async function makeRenditions(ctx: Context, resources: any[], fn: any, table: string, rootDir: string): Promise<DerivativesReport> {
  const aws = clients(ctx);
  const queue = one(resources, "aws_sqs_queue", (q) => /ImageDerivatives-/.test(q.name) && !/-DLQ-/.test(q.name));
  const event = await queuedBatch(ctx, queue);
  const Messages = event.Records.map((r) => ({ Body: r.body }));
  const { result, codeSha256Matches } = await withDeployedCode(ctx, fn, rootDir, (invoke) => invoke(event), {
    NODE_PATH: join(ROOT, "node_modules"),
  });
  const documents = DynamoDBDocumentClient.from(aws.dynamodb);
  const request = JSON.parse(Messages[0]?.Body ?? "{}");
  const item = request.imageId
    ? (await documents.send(new GetCommand({ TableName: table, Key: { ImageId: request.imageId } }))).Item
    : undefined;
  const bucket = one(resources, "aws_s3_bucket", (b) => /image-derivatives-/.test(b.bucket)).bucket;
  const renditions: DerivativesReport["renditions"] = {};
  for (const [name, entry] of Object.entries((item?.Derivatives ?? {}) as Record<string, { Key: string; Bytes: number }>)) {
    const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: entry.Key })).catch(() => undefined);
    renditions[name] = { key: entry.Key, bytes: entry.Bytes, stored: head?.ContentLength === entry.Bytes };
  }
  const logging = await aws.s3.send(new GetBucketLoggingCommand({ Bucket: bucket }));
  const accessLogs = {
    targetBucket: logging.LoggingEnabled?.TargetBucket,
    targetPrefix: logging.LoggingEnabled?.TargetPrefix,
    logBucket: ofType(resources, "aws_s3_bucket").find((b) => /image-storage-logs-/.test(b.bucket))?.bucket,
  };
  return {
    requests: Messages.length,
    batchItemFailures: result.batchItemFailures?.length ?? -1,
    codeSha256Matches,
    renditions,
    accessLogs,
  };
}

/** What an operator does before destroying an environment whose data is protected. */
export async function decommission(ctx: Context, resources: any[], policyGap: boolean) {
  const aws = clients(ctx);
  // Stop access logging first, or the requests below keep writing into the log bucket.
  for (const { bucket } of ofType(resources, "aws_s3_bucket_logging")) {
    await aws.s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: {} }));
  }
  for (const { bucket } of ofType(resources, "aws_s3_bucket")) {
    // Under the emulator's listed policy gap its TLS-only Deny refuses deletes too.
    if (policyGap) await aws.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    for (let page = 0; ; page++) {
      if (page === 100) throw new Error(`bucket ${bucket} still has versions after 100 pages of deletes`);
      const listed = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
      const objects = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      if (objects.length === 0) break;
      const deleted = await aws.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
      if (deleted.Errors?.length) throw new Error(`emptying ${bucket}: ${JSON.stringify(deleted.Errors[0])}`);
    }
  }
  for (const table of ofType(resources, "aws_dynamodb_table")) {
    if (table.deletion_protection_enabled) {
      await aws.dynamodb.send(new UpdateTableCommand({ TableName: table.name, DeletionProtectionEnabled: false }));
    }
  }
}

/**
 * Alarm and dashboard names, asked through boto3 (installed with moto): the pinned JS SDK speaks
 * CloudWatch's JSON protocol, which moto 5.2.5 does not serve, while boto3 speaks its query protocol.
 */
function cloudWatchNames(ctx: Context): { alarms: string[]; dashboards: string[] } {
  const python = join(dirname(process.env.MOTO_SERVER ?? join(ROOT, ".venv", "bin", "moto_server")), "python");
  const script = [
    "import boto3, json, sys",
    "c = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id='testing', aws_secret_access_key='testing')",
    "alarms = [a['AlarmName'] for page in c.get_paginator('describe_alarms').paginate() for a in page['MetricAlarms']]",
    "dashboards = [d['DashboardName'] for d in c.list_dashboards()['DashboardEntries']]",
    "print(json.dumps({'alarms': alarms, 'dashboards': dashboards}))",
  ].join("\n");
  const result = spawnSync(python, ["-c", script, ctx.endpoint, ctx.region], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`listing CloudWatch alarms and dashboards failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The applied resources the emulator still has after destroy (KMS keys only schedule their deletion). */
async function leftovers(ctx: Context, resources: any[]): Promise<string[]> {
  const aws = clients(ctx);
  // Whether a resource still exists: a describe call that must now fail, or a name in a listing.
  const answers = (call: () => Promise<unknown>) =>
    call().then(
      () => true,
      () => false,
    );
  const listed = (names: (string | undefined)[]) => async (name: string) => names.includes(name);
  const topics = listed((await aws.sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn) ?? []);
  const aliases = listed((await aws.kms.send(new ListAliasesCommand({}))).Aliases?.map((a) => a.AliasName) ?? []);
  const { alarms, dashboards } = cloudWatchNames(ctx);
  const probes: Record<string, (v: any) => [string, Promise<boolean>]> = {
    aws_s3_bucket: (v) => [`bucket ${v.bucket}`, answers(() => aws.s3.send(new HeadBucketCommand({ Bucket: v.bucket })))],
    aws_dynamodb_table: (v) => [`table ${v.name}`, answers(() => aws.dynamodb.send(new DescribeTableCommand({ TableName: v.name })))],
    aws_lambda_function: (v) => [
      `function ${v.function_name}`,
      answers(() => aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: v.function_name }))),
    ],
    aws_iam_role: (v) => [`role ${v.name}`, answers(() => aws.iam.send(new GetRoleCommand({ RoleName: v.name })))],
    aws_sqs_queue: (v) => [`queue ${v.name}`, answers(() => aws.sqs.send(new GetQueueUrlCommand({ QueueName: v.name })))],
    aws_sns_topic: (v) => [`topic ${v.arn}`, topics(v.arn)],
    aws_kms_alias: (v) => [`alias ${v.name}`, aliases(v.name)],
    aws_cloudwatch_dashboard: (v) => [`dashboard ${v.dashboard_name}`, listed(dashboards)(v.dashboard_name)],
    aws_cloudwatch_metric_alarm: (v) => [`alarm ${v.alarm_name}`, listed(alarms)(v.alarm_name)],
    aws_cloudwatch_log_group: (v) => [
      `log group ${v.name}`,
      aws.logs
        .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: v.name }))
        .then((g) => (g.logGroups ?? []).some((l) => l.logGroupName === v.name)),
    ],
    aws_kms_key: (v) => [
      `key ${v.key_id} not pending deletion`,
      aws.kms.send(new DescribeKeyCommand({ KeyId: v.key_id })).then((k) => k.KeyMetadata?.KeyState !== "PendingDeletion"),
    ],
  };
  const left: string[] = [];
  // Settings of the resources above (policies, versioning, alarms' actions...) go with them.
  for (const { type, values } of resources.filter((r) => probes[r.type])) {
    const [what, remains] = probes[type](values);
    if (await remains) left.push(what);
  }
  return left;
}
