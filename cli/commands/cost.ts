import { type ConfigurationSource, readSource } from "../core/configuration/read";
import { fromPlan } from "../core/configuration/plan";
import { fromSynthesized } from "../core/configuration/synthesized";
import { BASIS, costDifference, costReport, pricingRegion } from "../core/cost/report";
import { renderDifference, renderReport } from "../core/cost/render";
import { readUsageFile, resolveUsage } from "../core/cost/usage";
import { type Io, line } from "../io";

export interface CostOptions extends ConfigurationSource {
  readonly uploadsPerDay?: number;
  readonly meanMegapixels?: number;
  /** A YAML file of the workload's figures (cli/core/cost/usage.ts names its keys). */
  readonly usageFile?: string;
  /** Show month N line by line, and every month's total up to it. */
  readonly months?: number;
  readonly freeTier?: boolean;
  readonly byResource?: boolean;
  readonly region?: string;
  readonly json: boolean;
}

/**
 * `image-pipeline cost`: the monthly estimate of a synthesized stack, or for a plan, of what it
 * will create next to what exists before it, and the difference.
 */
export async function cost(options: CostOptions, io: Io, cwd = process.cwd()): Promise<number> {
  const usage = resolveUsage(options.usageFile ? readUsageFile(options.usageFile) : {}, options);
  const source = readSource(options, cwd);
  const settings = { months: options.months, freeTier: options.freeTier };
  if (source.kind === "stack") {
    const configuration = fromSynthesized(source.tf);
    const report = costReport(configuration, usage, pricingRegion(options.region, configuration.region), settings);
    io.stdout.write(
      options.json ? `${JSON.stringify({ ...report, basis: BASIS }, null, 2)}\n` : `${renderReport(report, options.byResource)}\n`,
    );
    return 0;
  }
  const after = fromPlan(source.plan, "planned");
  const region = pricingRegion(options.region, after.region);
  const [beforeReport, afterReport] = [
    costReport(fromPlan(source.plan, "prior"), usage, region, settings),
    costReport(after, usage, region, settings),
  ];
  const difference = costDifference(beforeReport, afterReport, options.byResource);
  if (options.json) {
    line(io.stdout, JSON.stringify({ region, usage, before: beforeReport, after: afterReport, ...difference, basis: BASIS }, null, 2));
  } else {
    line(io.stdout, renderDifference(difference, afterReport, options.byResource));
  }
  return 0;
}
