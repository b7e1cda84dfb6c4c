// `npm run scan`: Checkov (pinned in requirements-test.txt, installed in .venv) over every
// synthesized environment stack and the released module (dist/terraform-module, called by a scan
// root with its options on), each read twice in one Checkov run:
// - Terraform's own plan (terraform_plan): every resource instance with the values Terraform knows,
//   counted against the configuration. Made offline, against a moto server of the scan's own (the
//   data sources ask STS for the account), with the providers from the mirror as the deploy suite
//   takes them.
// - the configuration itself (terraform_json), for what a plan leaves unknown until apply: a role
//   policy naming the table's ARN is absent from the plan (every check on it passes there), and is a
//   document with references here, which CKV_AWS_62 and CKV_AWS_63 read (the other IAM checks do not
//   parse it; the scan names these policies). Less the `moved` blocks and the `terraform` block,
//   which Checkov's parser cannot read (every file was a parsing error, and the step passed) and
//   which hold nothing it checks.
//
// Fails on any failed check that .checkov.yaml does not skip with a reason, on any file Checkov
// does not parse or runs no check on, and when Checkov checks fewer resources than the plan has or
// the plan leaves out a resource the configuration declares (scripts/scan-verdict.cjs decides).
//
//   npm run scan                         the gate
//   npm run scan -- --without-skips      the same scan without the skip list: what each skip hides
//
// What Checkov read and reported stays in build/scan/<target>/checkov/ (plan.json, the configuration
// copies) and build/scan/<target>/checkov.json.
import { execFile, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import YAML from "yaml";
import { ROOT } from "./build.mjs";
import { MODULE_DIR } from "./package-module.mjs";

const require = createRequire(import.meta.url);
const { terraformEnvironment, writeCliConfig } = require("./terraform-cli.cjs");
const { startMotoServer } = require("./moto-server.cjs");
const { declaredResources, plannedResources, policiesKnownAfterApply, scanVerdict } = require("./scan-verdict.cjs");

const withoutSkips = process.argv.includes("--without-skips");
const STACKS_DIR = join(ROOT, "cdktf.out");
const WORK = join(ROOT, "build", "scan");
// moto's account and the stacks' region: the plans' ARNs are made of them.
const REGION = "us-east-1";
const ACCOUNT = "123456789012";
/** The longest one Terraform or Checkov command may take (a plan takes about 10 s, Checkov about 15 s). */
const STEP_TIMEOUT_MS = 5 * 60_000;

/**
 * The module's instances the scan plans side by side (as `module.image_processing["<key>"]`, each
 * key its name_prefix): between them every resource block of the module and its derivatives part
 * is planned (the scan fails otherwise), and each policy in the shapes its options give it.
 */
const MODULE_INSTANCES = {
  // Only what the module requires: an environment (the scan gives all three one) and someone to receive the alarms.
  defaults: { notification_email: "alarms@example.com" },
  // Every option that adds resources or writes a policy. With a key of the user's: Checkov reads a
  // value Terraform knows only after apply as absent when it reaches a resource through a module
  // variable (the derivatives part's queues and log group take the key so), and fails its checks.
  options: {
    event_delivery: "eventbridge",
    batch_operations: true,
    derivatives: [{ name: "thumbnail", width: 320, height: 320 }],
    existing_kms_key_arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
    bucket_kms_key_arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`,
    vpc_subnet_ids: ["subnet-0123456789abcdef0"],
    vpc_security_group_ids: ["sg-0123456789abcdef0"],
    role_policy_arns: ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"],
    role_permissions_boundary_arn: `arn:aws:iam::${ACCOUNT}:policy/permissions-boundary`,
    notification_email: "alarms@example.com",
    subscriptions: [{ protocol: "https", endpoint: "https://example.com/alarms" }],
    reserved_concurrency: 10,
  },
  // Another team's bucket and its key (the module creates no bucket and grants on both), with the pipeline's own key.
  existing: {
    notification_email: "alarms@example.com",
    event_delivery: "eventbridge",
    existing_bucket_name: "images-of-another-team",
    existing_bucket_kms_key_arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
  },
};

/**
 * Failed checks accepted on named resource blocks only (named from the module that declares them),
 * each with its reason: what .checkov.yaml's skip list would hide on every resource, since Checkov
 * cannot scope a skip to one resource in a plan.
 */
const ACCEPTED_FINDINGS = [
  {
    check: "CKV_AWS_290", // write access without constraints
    resources: ["aws_iam_role_policy.processor_vpc", "aws_iam_role_policy.derivatives_vpc"],
    reason:
      "a function in a VPC: Lambda creates and deletes its network interfaces with the role, on every resource, as AWS's AWSLambdaVPCAccessExecutionRole grants (constructs/parts/vpc-placement.ts)",
  },
  {
    check: "CKV_AWS_355", // "*" as the resource of restrictable actions
    resources: ["aws_iam_role_policy.processor_vpc", "aws_iam_role_policy.derivatives_vpc"],
    reason:
      "the same statement: the Describe actions work only on every resource, and a narrower delete can leave Lambda unable to clean up",
  },
];

/** Runs a command to its end: its exit code and output (a timeout or a missing command rejects). */
function run(file, args, options) {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { maxBuffer: 256 * 1024 * 1024, timeout: STEP_TIMEOUT_MS, killSignal: "SIGKILL", ...options },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number")
          reject(new Error(`${file} ${args.join(" ")}: ${error.killed ? "timed out" : error.message}`));
        else resolve({ code: error ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** `terraform <args>` in `dir`; rejects with its output unless it exits 0. */
async function terraform(dir, env, args) {
  const result = await run("terraform", [`-chdir=${dir}`, ...args], { env });
  if (result.code !== 0)
    throw new Error(`terraform ${args.join(" ")} in ${dir} exited ${result.code}\n${result.stderr || result.stdout.slice(-4000)}`);
  return result.stdout;
}

/** A stack copied for planning, without its backend: the scan plans the configuration, never anyone's state. */
function stackTarget(stack) {
  const source = join(STACKS_DIR, "stacks", stack);
  const dir = join(WORK, stack);
  cpSync(source, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
  delete config.terraform.backend;
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(config, null, 2));
  return { name: stack, dir, configuration: configurationForCheckov(source, dir) };
}

/**
 * Copies every Terraform JSON file under `source` into `<dir>/checkov/` (where Checkov reads the
 * target) without the blocks its terraform_json parser cannot read: `moved` (a list) and `terraform`
 * (`required_version` is a string). Returns the copies as Checkov names them in its report.
 */
function configurationForCheckov(source, dir) {
  const files = readdirSync(source, { recursive: true }).filter((file) => file.endsWith(".tf.json"));
  for (const file of files) {
    const { moved: _moved, terraform: _terraform, ...readable } = JSON.parse(readFileSync(join(source, file), "utf8"));
    mkdirSync(dirname(join(dir, "checkov", file)), { recursive: true });
    writeFileSync(join(dir, "checkov", file), JSON.stringify(readable, null, 2));
  }
  return files.map((file) => `/${file.split(sep).join("/")}`);
}

/** The scan root of the released module: one call per MODULE_INSTANCES entry, each unset variable left to its default. */
function moduleTarget() {
  const dir = join(WORK, "terraform-module");
  mkdirSync(dir, { recursive: true });
  const variables = [...new Set(Object.values(MODULE_INSTANCES).flatMap(Object.keys))].sort();
  const root = {
    provider: { aws: [{ region: REGION }] },
    locals: { instances: MODULE_INSTANCES },
    module: {
      image_processing: {
        source: relative(dir, MODULE_DIR),
        for_each: "${local.instances}",
        environment: "scan",
        name_prefix: "${each.key}",
        // null is "unset": the module's variables with a default are not nullable.
        ...Object.fromEntries(variables.map((name) => [name, `\${try(each.value.${name}, null)}`])),
      },
    },
  };
  writeFileSync(join(dir, "main.tf.json"), `${JSON.stringify(root, null, 2)}\n`);
  return { name: "terraform-module", dir, configuration: configurationForCheckov(MODULE_DIR, dir) };
}

/** Every Terraform JSON file of a folder, merged (a scan root or a stack has one). */
function readConfig(dir) {
  const files = readdirSync(dir).filter((file) => file.endsWith(".tf.json"));
  return Object.assign({}, ...files.map((file) => JSON.parse(readFileSync(join(dir, file), "utf8"))));
}

/** Plans one target, runs Checkov over the plan and the configuration, and decides. */
async function scan(target, env, checkov, checkovConfig, skipList) {
  const started = Date.now();
  await terraform(target.dir, env, ["plan", "-no-color", "-input=false", "-lock=false", "-out=scan.tfplan"]);
  const checkovDir = join(target.dir, "checkov");
  const plan = JSON.parse(await terraform(target.dir, env, ["show", "-no-color", "-json", "scan.tfplan"]));
  writeFileSync(join(checkovDir, "plan.json"), JSON.stringify(plan));
  // Checkov would read values Terraform knows only after apply as set, passing checks on them.
  const { EVAL_TF_PLAN_AFTER_UNKNOWN: _unset, ...checkovEnv } = process.env;
  const result = await run(checkov, ["--config-file", checkovConfig, "-d", checkovDir, "-o", "json"], { cwd: target.dir, env: checkovEnv });
  writeFileSync(join(target.dir, "checkov.json"), result.stdout);
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw new Error(`Checkov (exit ${result.code}) gave no JSON report for ${checkovDir}:\n${result.stderr.slice(-4000)}`);
  }
  const verdict = scanVerdict({
    name: target.name,
    declared: declaredResources(target.dir, readConfig),
    planned: plannedResources(plan),
    configurationFiles: target.configuration,
    checkov: report,
    skipList,
    skipsApplied: !withoutSkips,
    accepted: ACCEPTED_FINDINGS,
  });
  return { ...verdict, unknownPolicies: policiesKnownAfterApply(plan), seconds: Math.round((Date.now() - started) / 1000) };
}

/** Runs `task` over `items`, at most `limit` at a time, keeping their order. */
async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function printReport(verdicts) {
  const rows = [
    [
      "target",
      "declared",
      "planned",
      "checked",
      "plan passed",
      "plan failed",
      "config passed",
      "config failed",
      "accepted",
      "skipped",
      "parse errors",
      "seconds",
      "verdict",
    ],
    ...verdicts.map((v) => [
      v.name,
      v.declared,
      v.planned,
      v.resources,
      v.plan.passed,
      v.plan.failed,
      v.configuration.passed,
      v.configuration.failed,
      v.accepted,
      v.skipped,
      v.parsingErrors,
      v.seconds,
      v.passes ? "ok" : "FAIL",
    ]),
  ].map((row) => row.map(String));
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  console.log(
    `\nCheckov over the plans and the configurations, ${withoutSkips ? "WITHOUT the skip list (a report, not the gate)" : "with .checkov.yaml's skip list"}:`,
  );
  console.log(
    "(declared: resource blocks in the configuration; planned: their instances; checked: resources Checkov read in the plan; plan/config: checks on the plan and on the configuration; accepted: failed on the blocks ACCEPTED_FINDINGS names)",
  );
  for (const row of rows)
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  "));
  for (const v of verdicts) {
    for (const failure of v.failures) {
      const listed = failure.acceptedFor ? ` (accepted: ${failure.acceptedFor})` : failure.skipListed ? " (in the skip list)" : "";
      console.log(`  ${v.name}: ${failure.id} ${failure.resource} (${failure.file}): ${failure.name}${listed}`);
    }
    for (const problem of v.problems) console.error(`  ${v.name}: ${problem}`);
  }
  const unknown = verdicts.flatMap((v) => v.unknownPolicies.map((policy) => `${v.name}: ${policy}`));
  if (unknown.length > 0) {
    console.log(
      `Policies Terraform knows only after apply: the plan has none of them to check, the configuration has them with references, which only CKV_AWS_62 and CKV_AWS_63 read (${unknown.length}):\n  ${unknown.join("\n  ")}`,
    );
  }
  if (withoutSkips) {
    const failing = new Set(verdicts.flatMap((v) => v.failures.map((failure) => failure.id)));
    const unused = skipList.filter((id) => !failing.has(id));
    if (unused.length > 0)
      console.log(`Skips no target fails without the list (stale, or for options the scan does not plan): ${unused.join(", ")}`);
  }
}

const checkov = process.env.CHECKOV ?? join(ROOT, ".venv", "bin", "checkov");
if (!existsSync(checkov)) {
  console.error(`checkov not found at ${checkov}.\nInstall the test tools: node scripts/setup-tests.mjs (npm test runs it first)`);
  process.exit(2);
}
if (spawnSync("terraform", ["version"], { stdio: "ignore" }).status !== 0) {
  console.error("terraform not found on PATH: the scan plans every target with it (1.9 or later).");
  process.exit(2);
}

const started = Date.now();
// The stacks and the module where the scan reads them: cdktf.out and dist, whatever the environment says.
const { CDKTF_OUTDIR: _stacksElsewhere, MODULE_OUTDIR: _moduleElsewhere, ...synthEnv } = process.env;
const synth = spawnSync(process.execPath, [join(ROOT, "scripts", "synth.mjs")], { cwd: ROOT, env: synthEnv, stdio: "inherit" });
if (synth.status !== 0) process.exit(synth.status ?? 1);

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
const checkovYaml = join(ROOT, ".checkov.yaml");
const checkovSettings = YAML.parse(readFileSync(checkovYaml, "utf8"));
const skipList = (checkovSettings["skip-check"] ?? []).map(String);
let checkovConfig = checkovYaml;
if (withoutSkips) {
  const { "skip-check": _skips, ...rest } = checkovSettings;
  checkovConfig = join(WORK, "checkov-without-skips.yaml");
  writeFileSync(checkovConfig, YAML.stringify(rest));
}

const stacks = Object.keys(JSON.parse(readFileSync(join(STACKS_DIR, "manifest.json"), "utf8")).stacks).sort();
const targets = [...stacks.map(stackTarget), moduleTarget()];
const moto = await startMotoServer(join(WORK, "moto.log"));
let verdicts;
try {
  const env = terraformEnvironment(moto.endpoint, writeCliConfig(WORK), REGION);
  // One after another: without a mirror the inits share a plugin cache, which is not safe side by side.
  for (const target of targets) await terraform(target.dir, env, ["init", "-no-color", "-input=false"]);
  verdicts = await pool(targets, Math.max(2, availableParallelism()), (target) => scan(target, env, checkov, checkovConfig, skipList));
} catch (error) {
  // A target that cannot be planned or scanned fails the scan with what the tool said.
  console.error(`\nScan failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  moto.stop();
}
if (!verdicts) process.exit(1);
printReport(verdicts);
const seconds = Math.round((Date.now() - started) / 1000);
const failed = verdicts.filter((v) => !v.passes);
if (failed.length > 0) {
  console.error(
    `\nScan failed for ${failed.map((v) => v.name).join(", ")} (${seconds} s). Plans and reports: ${relative(ROOT, WORK)}/<target>/`,
  );
  process.exit(1);
}
console.log(`\nScan passed: ${verdicts.length} targets, every resource checked (${seconds} s).`);
