// `image-pipeline cost`: a monthly estimate of a configuration at a volume of uploads.
import { type Command, Option } from "commander";
import { addConfigurationOptions } from "./configuration-options";
import type { CommandContext } from "./context";
import { positiveInteger, positiveNumber } from "./values";

export function registerCost(program: Command, context: CommandContext): void {
  addConfigurationOptions(
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
    .addOption(
      new Option("--by-resource", "the estimate by Terraform address (with --plan, its change), as Infracost does").conflicts("json"),
    )
    .option("--region <region>", "the region whose prices to use (default: the configuration's provider's)")
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
    .action(async (options, self: Command) => {
      const { cost }: typeof import("../commands/cost") = require("../commands/cost");
      // --region before the command (`image-pipeline --region eu-west-1 cost`) is the program's.
      context.exit(await cost({ ...options, region: options.region ?? self.parent?.getOptionValue("region") }, context.io));
    });
}
