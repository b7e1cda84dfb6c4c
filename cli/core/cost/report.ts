import { CliError } from "../../errors";
import type { Configuration } from "../configuration/resource";
import { ASSUMPTIONS } from "./assumptions";
import { type CostLine, resourceOf } from "./cost-line";
import { estimate } from "./estimate";
import { applyFreeTier } from "./free-tier";
import { DURATIONS } from "./measured";
import { pipelineFacts } from "./pipeline-facts";
import { PRICES } from "./prices";
import { REQUESTS_PER_IMAGE } from "./requests";
import type { Usage } from "./usage";

export interface CostOptions {
  /** The month to show line by line (1: the first); the months before it are totalled too. */
  readonly months?: number;
  /** Apply AWS's always-free tier (per account: shared with whatever else it runs). */
  readonly freeTier?: boolean;
}

export interface CostReport {
  readonly region: string;
  readonly pricesAsOf: string;
  readonly usage: Usage;
  /** The month the lines are of. */
  readonly month: number;
  readonly freeTier: boolean;
  readonly lines: readonly CostLine[];
  readonly totalUsdPerMonth: number;
  /** Each month's total up to `month`: storage accumulates. */
  readonly monthly: readonly { readonly month: number; readonly totalUsdPerMonth: number }[];
  /** What the estimate leaves out of this configuration, said in the output. */
  readonly notes: readonly string[];
}

/** The region to price in: the one given, else the configuration's; refused where the price table does not hold. */
export function pricingRegion(given: string | undefined, configured: string | undefined): string {
  const region = given ?? configured;
  const allowed = PRICES.regions.join(", ");
  if (!region) throw new CliError(`the configuration names no region of its own: give --region (prices are for ${allowed})`, 2);
  if (!(PRICES.regions as readonly string[]).includes(region)) {
    throw new CliError(
      `no prices for ${region}: the price table (cli/core/cost/prices.ts, ${PRICES.asOf}) holds for ${allowed}; give --region with one of them for an approximation`,
      2,
    );
  }
  return region;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

const total = (lines: readonly CostLine[]) => cents(lines.reduce((sum, l) => sum + l.usdPerMonth, 0));

/** The estimate of every pipeline instance of a configuration, in month `months` (default the first). */
export function costReport(configuration: Configuration, usage: Usage, region: string, options: CostOptions = {}): CostReport {
  const facts = pipelineFacts(configuration);
  const month = options.months ?? 1;
  const linesOf = (m: number) => {
    const lines = facts.flatMap((f) => estimate(f, usage, m));
    return options.freeTier ? applyFreeTier(lines) : lines;
  };
  const monthly = Array.from({ length: month }, (_, i) => ({ month: i + 1, totalUsdPerMonth: total(linesOf(i + 1)) }));
  const lines = linesOf(month);
  const notes = facts
    .filter((f) => f.processor && !f.imageBucket)
    .map(
      (f) =>
        `${f.instance ? `${f.instance}: ` : ""}an existing bucket: its owner's uploads (PUTs) and storage are left out; the pipeline's own reads of it are counted.`,
    );
  return {
    region,
    pricesAsOf: PRICES.asOf,
    usage,
    month,
    freeTier: options.freeTier ?? false,
    lines,
    totalUsdPerMonth: total(lines),
    monthly,
    notes,
  };
}

export interface CostChange {
  /** The module instance ("" for a stack's pipeline, and by resource, where the address names it). */
  readonly instance: string;
  /** The component (`Lambda ImageProcessor-dev`), or by resource, the Terraform address. */
  readonly component: string;
  readonly beforeUsdPerMonth: number;
  readonly afterUsdPerMonth: number;
}

/**
 * What a plan changes, component by component (or, `byResource`, address by address, as Infracost's
 * diff does): before it (the prior state) and after it is applied.
 */
export function costDifference(
  before: CostReport,
  after: CostReport,
  byResource = false,
): { changes: CostChange[]; beforeUsdPerMonth: number; afterUsdPerMonth: number; differenceUsdPerMonth: number } {
  const key = (l: CostLine) => (byResource ? `\u0000${resourceOf(l)}` : `${l.instance}\u0000${l.component}`);
  const sums = (report: CostReport) => {
    const by = new Map<string, number>();
    for (const l of report.lines) by.set(key(l), (by.get(key(l)) ?? 0) + l.usdPerMonth);
    return by;
  };
  const [b, a] = [sums(before), sums(after)];
  const changes = [...new Set([...b.keys(), ...a.keys()])]
    .sort()
    .map((k) => {
      const [instance, component] = k.split("\u0000");
      return { instance, component, beforeUsdPerMonth: cents(b.get(k) ?? 0), afterUsdPerMonth: cents(a.get(k) ?? 0) };
    })
    .filter((c) => c.beforeUsdPerMonth !== c.afterUsdPerMonth);
  return {
    changes,
    beforeUsdPerMonth: before.totalUsdPerMonth,
    afterUsdPerMonth: after.totalUsdPerMonth,
    differenceUsdPerMonth: cents(after.totalUsdPerMonth - before.totalUsdPerMonth),
  };
}

/** What the figures rest on, for the output's footer and `--json`. */
export const BASIS = {
  prices: {
    asOf: PRICES.asOf,
    regions: PRICES.regions,
    sources: Object.fromEntries(
      Object.entries(PRICES)
        .filter(([, v]) => typeof v === "object" && "source" in v)
        .map(([k, v]) => [k, (v as { source: string }).source]),
    ),
  },
  measured: {
    durations: { source: "BENCHMARKS.md (against the emulator: real latencies are longer)", ...DURATIONS },
    requestsPerImage: REQUESTS_PER_IMAGE,
  },
  assumed: ASSUMPTIONS,
  notApplied: [
    "the free tier, unless --free-tier",
    "lower price tiers at high volume",
    "data transfer",
    "the requests uploads make before the pipeline sees them (multipart, retries)",
  ],
};
