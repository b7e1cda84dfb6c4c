import { type Command, InvalidArgumentError, Option } from "commander";
import type { Io } from "./io";

const positiveNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};

const positiveInteger = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number`);
  return n;
};

const SOURCE_OPTIONS = (command: Command) =>
  command
    .option("--stack <stack>", "a synthesized stack: its folder or its cdk.tf.json (default: cdktf.out/stacks/image-processing-dev)")
    .option("--plan <file>", "instead, `terraform show -json <plan file>` of a root (the module's, a stack's)");

/**
 * The commands that read a configuration instead of a deployment: `diagram` and `cost`. They need
 * no AWS credentials; their modules load only when run, so the day-to-day commands do not pay for Graphviz.
 */
export function addReviewCommands(program: Command, io: Io, done: (exitCode: number) => void): void {
  SOURCE_OPTIONS(program.command("diagram").description("draw what a synthesized stack or a plan creates, and how data flows between it"))
    .addOption(
      new Option("--format <format>", "svg (Graphviz), mermaid (for Markdown), or dot").choices(["svg", "mermaid", "dot"]).default("svg"),
    )
    .option("--out <file>", "write it to this file (default: stdout)")
    .option("--title <title>", "the diagram's title (default: the stack's name, or the plan file's)")
    .addHelpText(
      "after",
      "\nExamples:\n  npx image-pipeline diagram --out pipeline.svg\n  terraform show -json tfplan > plan.json && npx image-pipeline diagram --plan plan.json --format mermaid",
    )
    .action(async (options) => {
      const { diagram }: typeof import("./commands/diagram") = require("./commands/diagram");
      done(await diagram(options, io));
    });

  SOURCE_OPTIONS(
    program.command("cost").description("a monthly cost estimate of a synthesized stack, or what a plan changes, at a volume of uploads"),
  )
    .option(
      "--uploads-per-day <n>",
      "images uploaded a day (to each pipeline instance); or uploads_per_day in --usage-file",
      positiveNumber("--uploads-per-day"),
    )
    .option("--mean-megapixels <m>", "mean size of an upload, in megapixels (default 12)", positiveNumber("--mean-megapixels"))
    .option(
      "--usage-file <file>",
      "the workload as YAML: uploads_per_day, mean_megapixels, mean_object_size_mb, overwrite_rate, deletion_rate, notice_rate, retention_days, cold_start_rate",
    )
    .option("--months <n>", "show month n line by line and every month's total up to it (storage accumulates)", positiveInteger("--months"))
    .option("--free-tier", "apply AWS's always-free tier (per account: shared with what else it runs)", false)
    .addOption(new Option("--by-resource", "the estimate by Terraform address, as Infracost breaks it down").conflicts("json"))
    .option("--json", "print JSON for pipelines", false)
    .addHelpText(
      "after",
      `
Prices come from a dated table (cli/core/cost/prices.ts) for the regions it names; the region is
--region, else the configuration's provider's. Durations and reads are BENCHMARKS.md's measured
figures; what neither the configuration nor a measurement says is assumed, and printed.
With --plan, prints each component's cost before the plan, after it, and the difference.

Examples:
  npx image-pipeline cost --uploads-per-day 100000
  npx image-pipeline cost --usage-file usage.yml --months 12 --by-resource
  terraform show -json tfplan > plan.json && npx image-pipeline cost --plan plan.json --uploads-per-day 1000000 --json`,
    )
    .action(async (options, command: Command) => {
      const { cost }: typeof import("./commands/cost") = require("./commands/cost");
      done(await cost({ ...options, region: command.optsWithGlobals().region }, io));
    });
}
