import { type ConfigurationSource, readSource } from "../core/configuration/read";
import { fromPlan } from "../core/configuration/plan";
import { fromSynthesized } from "../core/configuration/synthesized";
import type { Volume } from "../core/cost/estimate";
import { BASIS, costDifference, costReport, pricingRegion } from "../core/cost/report";
import { renderDifference, renderReport } from "../core/cost/render";
import { type Io, line } from "../io";

export interface CostOptions extends ConfigurationSource, Volume {
  readonly region?: string;
  readonly json: boolean;
}

/**
 * `image-pipeline cost`: the monthly estimate of a synthesized stack, or for a plan, of what it
 * will create next to what exists before it, and the difference.
 */
export async function cost(options: CostOptions, io: Io, cwd = process.cwd()): Promise<number> {
  const source = readSource(options, cwd);
  const volume = { uploadsPerDay: options.uploadsPerDay, meanMegapixels: options.meanMegapixels };
  if (source.kind === "stack") {
    const configuration = fromSynthesized(source.tf);
    const report = costReport(configuration, volume, pricingRegion(options.region, configuration.region));
    io.stdout.write(options.json ? `${JSON.stringify({ ...report, basis: BASIS }, null, 2)}\n` : `${renderReport(report)}\n`);
    return 0;
  }
  const after = fromPlan(source.plan, "planned");
  const region = pricingRegion(options.region, after.region);
  const [beforeReport, afterReport] = [costReport(fromPlan(source.plan, "prior"), volume, region), costReport(after, volume, region)];
  const difference = costDifference(beforeReport, afterReport);
  if (options.json) {
    line(io.stdout, JSON.stringify({ region, volume, before: beforeReport, after: afterReport, ...difference, basis: BASIS }, null, 2));
  } else {
    line(io.stdout, renderDifference(difference, afterReport));
  }
  return 0;
}
