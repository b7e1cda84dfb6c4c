import { CliError } from "../../errors";
import type { Configuration } from "../configuration/resource";
import { ASSUMPTIONS } from "./assumptions";
import { type CostLine, estimate, type Volume } from "./estimate";
import { MEASURED } from "./measured";
import { pipelineFacts } from "./pipeline-facts";
import { PRICES } from "./prices";

export interface CostReport {
  readonly region: string;
  readonly pricesAsOf: string;
  readonly volume: Volume;
  readonly lines: readonly CostLine[];
  readonly totalUsdPerMonth: number;
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

/** The estimate of every pipeline instance of a configuration. */
export function costReport(configuration: Configuration, volume: Volume, region: string): CostReport {
  const lines = pipelineFacts(configuration).flatMap((facts) => estimate(facts, volume));
  return { region, pricesAsOf: PRICES.asOf, volume, lines, totalUsdPerMonth: cents(lines.reduce((sum, l) => sum + l.usdPerMonth, 0)) };
}

export interface CostChange {
  readonly instance: string;
  readonly component: string;
  readonly beforeUsdPerMonth: number;
  readonly afterUsdPerMonth: number;
}

/** What a plan changes, component by component: before it (the prior state) and after it is applied. */
export function costDifference(
  before: CostReport,
  after: CostReport,
): { changes: CostChange[]; beforeUsdPerMonth: number; afterUsdPerMonth: number; differenceUsdPerMonth: number } {
  const key = (l: CostLine) => `${l.instance}\u0000${l.component}`;
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
  measured: { source: "BENCHMARKS.md (against the emulator: real latencies are longer)", ...MEASURED },
  assumed: ASSUMPTIONS,
  notApplied: [
    "the free tier",
    "lower price tiers at high volume",
    "data transfer",
    "the requests uploads make before the pipeline sees them (multipart, retries)",
  ],
};
