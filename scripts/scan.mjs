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
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import YAML from "yaml";
import { ROOT } from "./build.mjs";
import { REGION, STACKS_DIR, WORK, moduleTarget, readConfig, stackTarget } from "./scan-targets.mjs";

const require = createRequire(import.meta.url);
const { terraformEnvironment, writeCliConfig } = require("./terraform-cli.cjs");
const { startMotoServer } = require("./moto-server.cjs");
const { declaredResources, plannedResources, policiesKnownAfterApply, scanVerdict } = require("./scan-verdict.cjs");

const withoutSkips = process.argv.includes("--without-skips");
/** The longest one Terraform or Checkov command may take (a plan takes about 10 s, Checkov about 15 s). */
const STEP_TIMEOUT_MS = 5 * 60_000;

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
