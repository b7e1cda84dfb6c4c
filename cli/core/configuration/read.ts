import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { CliError, EXIT } from "../../errors";
import { fromPlan, type PlanSide } from "./plan";
import type { Configuration } from "./resource";
import { fromSynthesized } from "./synthesized";

/** Where `diagram` and `cost` read from when given neither --stack nor --plan: the dev stack `npm run synth` writes. */
export const DEFAULT_STACK = join("cdktf.out", "stacks", "image-processing-dev");

/** What to read: a synthesized stack (its folder or its cdk.tf.json), or a `terraform show -json` plan. */
export interface ConfigurationSource {
  readonly stack?: string;
  readonly plan?: string;
}

function readJson(file: string, what: string, hint: string): any {
  if (!existsSync(file)) throw new CliError(`${what} ${file} does not exist: ${hint}`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${what} ${file} is not JSON (${(error as Error).message})`);
  }
}

/** The plan JSON of --plan, or the synthesized stack of --stack (default {@link DEFAULT_STACK}); "cannot specify both". */
export function readSource(source: ConfigurationSource, cwd: string): { kind: "stack"; tf: any } | { kind: "plan"; plan: any } {
  if (source.stack && source.plan) throw new CliError("cannot specify both --stack and --plan", EXIT.usage);
  if (source.plan) {
    return {
      kind: "plan",
      plan: readJson(resolve(cwd, source.plan), "plan", "write it with `terraform show -json <plan file> > plan.json`"),
    };
  }
  const given = resolve(cwd, source.stack ?? DEFAULT_STACK);
  const file = existsSync(given) && statSync(given).isDirectory() ? join(given, "cdk.tf.json") : given;
  return {
    kind: "stack",
    tf: readJson(
      file,
      "stack",
      source.stack ? "give a stack folder or its cdk.tf.json" : "run `npm run synth` first, or give --stack or --plan",
    ),
  };
}

/** The configuration a source describes; for a plan, one side of it. */
export function readConfiguration(source: ConfigurationSource, cwd: string, side: PlanSide = "planned"): Configuration {
  const read = readSource(source, cwd);
  return read.kind === "plan" ? fromPlan(read.plan, side) : fromSynthesized(read.tf);
}
