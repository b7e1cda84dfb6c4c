import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { AWS_PROVIDER_REQUIREMENT } from "../../constructs/shipping/provider-requirements";

const exec = promisify(execFile);

// Where init takes providers from, and the environment pointing Terraform at the emulator: shared
// with `npm run scan` (CommonJS, which both load).
const cli: {
  /** TF_PROVIDER_MIRROR, else the first known mirror that holds the AWS provider, else none (the registry). */
  providerMirror(): string | undefined;
  /** Writes the CLI configuration into `dir` (the filesystem mirror, else a plugin cache there) and returns its file. */
  writeCliConfig(dir: string): string;
  /** The environment every Terraform command of the suite runs with: the emulator, test credentials, the CLI config. */
  terraformEnvironment(endpoint: string, cliConfig: string, region: string): NodeJS.ProcessEnv;
} = require("../../scripts/terraform-cli.cjs");
export const { providerMirror, writeCliConfig, terraformEnvironment } = cli;

/**
 * Without a mirror, fills the plugin cache with one init in `dir` before the inits that run side by
 * side and only link from it (its first use is the unsafe one); with a mirror there is no cache.
 */
export async function warmPluginCache(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (providerMirror()) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: AWS_PROVIDER_REQUIREMENT } } }));
  await terraform(dir, env, ["init", "-no-color", "-input=false"]);
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The longest any one Terraform command of the suite may take. The slowest (an apply of a stack
 * with derivatives) takes about a minute here; a provider waiter stuck on the emulator would
 * otherwise hold the suite until jest's 20-minute limit.
 */
export const STEP_TIMEOUT_MS = Number(process.env.TF_STEP_TIMEOUT_MS ?? 5 * 60_000);

/** The last lines of a file, or a note that it is not there. */
function tail(file: string, lines: number): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
}

/**
 * Runs `terraform <args>` in `cwd`, bounded by `timeoutMs`, with the provider's debug log in
 * `<cwd>/terraform-debug-<n>.log` (TF_LOG_PATH; one per run, so two commands in one folder at once
 * keep their own, and removed when the run succeeds); rejects with its output and the log's tail
 * when it exits non-zero (unless `allow` lists the code) or runs out of time.
 */
/** Runs of `terraform` in this process, numbering their debug logs. */
let runs = 0;

export async function terraform(
  cwd: string,
  env: NodeJS.ProcessEnv,
  args: string[],
  allow: number[] = [0],
  timeoutMs: number = STEP_TIMEOUT_MS,
): Promise<TerraformResult> {
  const log = join(cwd, `terraform-debug-${++runs}.log`);
  const logged = { ...env, TF_LOG_PROVIDER: "DEBUG", TF_LOG_PATH: log };
  try {
    const { stdout, stderr } = await exec("terraform", [`-chdir=${cwd}`, ...args], {
      env: logged,
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    rmSync(log, { force: true });
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    const timedOut = error.killed === true && error.signal === "SIGKILL";
    const result = { code: typeof error.code === "number" ? error.code : -1, stdout: error.stdout ?? "", stderr: error.stderr ?? "" };
    if (!timedOut && allow.includes(result.code)) {
      rmSync(log, { force: true });
      return result;
    }
    const what = timedOut ? `did not finish within ${timeoutMs / 1000} s (killed)` : `exited ${result.code}`;
    throw new Error(
      `terraform ${args.join(" ")} in ${cwd} ${what}\n${result.stderr}\n${result.stdout.slice(-4000)}\n--- last lines of the provider's debug log (${log}):\n${tail(log, 40)}`,
    );
  }
}

/** What `terraform validate` and `terraform plan` make of a synthesized stack. */
export interface ValidatedPlan {
  readonly valid: boolean;
  /** `<severity>: <summary>` of each of validate's diagnostics. */
  readonly diagnostics: string[];
  /** The plan's `Error:` lines, or "" when it planned. */
  readonly planError: string;
  /** The plan's managed resource changes (`terraform show -json`), none when it did not plan. */
  readonly changes: any[];
  /** The plan's configuration of the root module's resources and data sources (their expressions and what those reference). */
  readonly configured: any[];
  /** The data sources the plan read, with what each read (`prior_state`): a provider's account and region among them. */
  readonly read: any[];
}

/** Init, validate and plan the stack synthesized into `dir` (plan given `planArgs`, e.g. `-var`s), its failures read rather than thrown. */
export async function validateAndPlan(dir: string, env: NodeJS.ProcessEnv, planArgs: string[] = []): Promise<ValidatedPlan> {
  await terraform(dir, env, ["init", "-no-color", "-input=false"]);
  const validation = JSON.parse((await terraform(dir, env, ["validate", "-json", "-no-color"], [0, 1])).stdout);
  const planned = await terraform(dir, env, ["plan", "-no-color", "-input=false", "-out=stack.tfplan", ...planArgs], [0, 1]);
  const plan = planned.code === 0 ? JSON.parse((await terraform(dir, env, ["show", "-json", "stack.tfplan"])).stdout) : undefined;
  return {
    valid: validation.valid,
    diagnostics: (validation.diagnostics ?? []).map((d: any) => `${d.severity}: ${d.summary}`),
    planError:
      planned.code === 0
        ? ""
        : planned.stderr
            .split("\n")
            .filter((l: string) => /Error:/.test(l))
            .join(" "),
    changes: (plan?.resource_changes ?? []).filter((c: any) => c.mode === "managed"),
    configured: plan?.configuration.root_module.resources ?? [],
    read: (plan?.prior_state?.values?.root_module?.resources ?? []).filter((r: any) => r.mode === "data"),
  };
}

/** A difference between a resource's state and its planned value: `address` and the top-level attribute. */
export interface AttributeDiff {
  readonly address: string;
  readonly type: string;
  readonly actions: string[];
  readonly attribute: string;
}

/** Every planned action other than no-op and read, attribute by attribute, from `terraform show -json <plan>`. */
export function plannedDiffs(plan: any): AttributeDiff[] {
  const diffs: AttributeDiff[] = [];
  for (const change of plan.resource_changes ?? []) {
    const actions: string[] = change.change.actions;
    if (change.mode !== "managed" || actions.every((a) => a === "no-op" || a === "read")) continue;
    const before = change.change.before ?? {};
    const after = change.change.after ?? {};
    const unknown = change.change.after_unknown ?? {};
    const attributes = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
    const changed = [...attributes].filter(
      (name) => unknown[name] === true || JSON.stringify(before[name] ?? null) !== JSON.stringify(after[name] ?? null),
    );
    for (const attribute of changed.length > 0 ? changed : ["(whole resource)"]) {
      diffs.push({ address: change.address, type: change.type, actions, attribute });
    }
  }
  return diffs;
}

/** Which policy arguments a plan leaves unknown, and what the known ones grant (statements with actions) and to whom (with principals). */
export interface PoliciesOnCreate {
  unknown: string[];
  known: { address: string; attribute: string; actions: number; principals: number }[];
}

/** The arguments that hold a policy the pipeline writes, by resource type (a bucket's or a queue's own `policy` is read back, not written). */
const POLICY_ARGUMENTS: Record<string, string[]> = {
  aws_iam_role: ["assume_role_policy"],
  aws_iam_role_policy: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_sqs_queue_policy: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_kms_key: ["policy"],
};

/** The policy arguments of a plan of creations: which the plan leaves unknown, and what the known ones grant and to whom. */
export function policiesOnCreate(plan: any): PoliciesOnCreate {
  const result: PoliciesOnCreate = { unknown: [], known: [] };
  for (const change of plan.resource_changes ?? []) {
    const attributes = POLICY_ARGUMENTS[change.type];
    if (change.mode !== "managed" || !attributes) continue;
    for (const attribute of attributes) {
      if (change.change.after_unknown?.[attribute] === true) result.unknown.push(`${change.address}.${attribute}`);
      else if (typeof change.change.after?.[attribute] === "string") {
        const statements = JSON.parse(change.change.after[attribute]).Statement;
        result.known.push({
          address: change.address,
          attribute,
          actions: statements.filter((s: any) => (s.Action ?? s.NotAction)?.length > 0).length,
          principals: statements.filter((s: any) => s.Principal !== undefined).length,
        });
      }
    }
  }
  return result;
}

/** Managed resources in a `terraform show -json` state, modules included. */
export function managedResources(state: any): any[] {
  const walk = (module: any): any[] => [
    ...(module?.resources ?? []).filter((r: any) => r.mode === "managed"),
    ...(module?.child_modules ?? []).flatMap(walk),
  ];
  return walk(state.values?.root_module);
}

/** What a machine without Node.js lacks. */
const NODE_TOOLS = new Set(["node", "nodejs", "npm", "npx", "corepack"]);

/**
 * The environment with a PATH of one folder that links every command of this PATH but node and
 * npm (terraform, git and the shell tools git's helpers use among them): how a platform team's
 * pipeline, with no Node.js, consumes a released module.
 */
export function withoutNode(env: NodeJS.ProcessEnv, dir: string): NodeJS.ProcessEnv {
  const bin = join(dir, "path-without-node");
  mkdirSync(bin, { recursive: true });
  for (const folder of (process.env.PATH ?? "").split(":").filter((f) => f && existsSync(f))) {
    for (const name of readdirSync(folder)) {
      if (NODE_TOOLS.has(name) || existsSync(join(bin, name))) continue;
      symlinkSync(join(folder, name), join(bin, name));
    }
  }
  return { ...env, PATH: bin };
}
