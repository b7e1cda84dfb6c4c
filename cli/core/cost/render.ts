import Table from "cli-table3";
import { ASSUMPTIONS } from "./assumptions";
import type { CostLine } from "./estimate";
import type { CostReport, costDifference } from "./report";

const usd = (n: number) => (n >= 100 ? `$${Math.round(n).toLocaleString("en-US")}` : n >= 0.01 || n === 0 ? `$${n.toFixed(2)}` : "<$0.01");
/** A unit as one of it reads: 1 key, 1 dashboard, 1 publish. */
const unitOf = (n: number, unit: string) => (n !== 1 ? unit : unit.endsWith("publishes") ? unit.slice(0, -2) : unit.replace(/s$/, ""));
const quantity = (n: number) =>
  Number.isInteger(n) || n >= 1000 ? Math.round(n).toLocaleString("en-US") : n >= 10 ? n.toFixed(0) : n.toFixed(n >= 1 ? 1 : 3);
const who = (l: { instance: string; component: string }) => (l.instance ? `${l.instance} ${l.component}` : l.component);

/** The estimate as a table for people, with what it rests on under it. */
export function renderReport(report: CostReport): string {
  const table = new Table({
    head: ["component", "item", "quantity a month", "USD a month", "basis"],
    style: { head: [], border: [], compact: true },
  });
  for (const l of report.lines)
    table.push([who(l), l.item, `${quantity(l.quantity)} ${unitOf(l.quantity, l.unit)}`, usd(l.usdPerMonth), l.basis]);
  table.push(["total", "", "", usd(report.totalUsdPerMonth), ""]);
  return [
    `Monthly estimate at ${report.volume.uploadsPerDay.toLocaleString("en-US")} uploads a day of ${report.volume.meanMegapixels} megapixels, ${report.region} prices of ${report.pricesAsOf}:`,
    table.toString(),
    footer(report.lines),
  ].join("\n");
}

/** What the basis column means, and the assumptions behind the lines shown. */
function footer(lines: readonly CostLine[]): string {
  const used = new Set(lines.map((l) => l.basis));
  return [
    used.has("measured") ? "measured: durations and GETs from BENCHMARKS.md (against the emulator; real latencies are longer)." : "",
    "configured: counts read from the configuration (memory, architecture, indexes, alarms, retention, ...).",
    used.has("assumed")
      ? `assumed: ${(ASSUMPTIONS.uploadBytesPerMegapixel / 1e6).toFixed(1)} MB an upload per megapixel, ${ASSUMPTIONS.rejectedShare * 100} % rejected, ${ASSUMPTIONS.itemBytes / 1000} KB items, ${ASSUMPTIONS.logBytesPerInvocation / 1000} KB of logs an invocation, one invocation per image (--json lists every assumption).`
      : "",
    "Not applied: the free tier, lower tiers at high volume, data transfer. Storage lines are what one month's uploads add.",
  ]
    .filter(Boolean)
    .join("\n");
}

/** A plan's change as a table: each component whose cost it changes, before and after. */
export function renderDifference(difference: ReturnType<typeof costDifference>, report: CostReport): string {
  const table = new Table({ head: ["component", "before", "after", "difference"], style: { head: [], border: [], compact: true } });
  for (const c of difference.changes)
    table.push([who(c), usd(c.beforeUsdPerMonth), usd(c.afterUsdPerMonth), signed(c.afterUsdPerMonth - c.beforeUsdPerMonth)]);
  table.push(["total", usd(difference.beforeUsdPerMonth), usd(difference.afterUsdPerMonth), signed(difference.differenceUsdPerMonth)]);
  return [
    `Monthly cost this plan changes, at ${report.volume.uploadsPerDay.toLocaleString("en-US")} uploads a day of ${report.volume.meanMegapixels} megapixels, ${report.region} prices of ${report.pricesAsOf}:`,
    difference.changes.length === 0 ? "(no component's estimate changes)" : "",
    table.toString(),
    footer(report.lines),
  ]
    .filter(Boolean)
    .join("\n");
}

const signed = (n: number) => (n > 0 ? `+${usd(n)}` : n < 0 ? `-${usd(-n)}` : "$0.00");
