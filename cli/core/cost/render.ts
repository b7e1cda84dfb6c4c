import Table from "cli-table3";
import { ASSUMPTIONS } from "./assumptions";
import { type CostLine, resourceOf } from "./cost-line";
import type { CostReport, costDifference } from "./report";

const usd = (n: number) => (n >= 100 ? `$${Math.round(n).toLocaleString("en-US")}` : n >= 0.01 || n === 0 ? `$${n.toFixed(2)}` : "<$0.01");
/** A unit as one of it reads: 1 key, 1 dashboard, 1 publish. */
const unitOf = (n: number, unit: string) => (n !== 1 ? unit : unit.endsWith("publishes") ? unit.slice(0, -2) : unit.replace(/s$/, ""));
const quantity = (n: number) =>
  Number.isInteger(n) || n >= 1000 ? Math.round(n).toLocaleString("en-US") : n >= 10 ? n.toFixed(0) : n.toFixed(n >= 1 ? 1 : 3);
const who = (l: { instance: string; component: string }) => (l.instance ? `${l.instance} ${l.component}` : l.component);

/** Lines that differ only by their resource (each alarm's) as one: `--by-resource` keeps them apart. */
function merged(lines: readonly CostLine[]): CostLine[] {
  const by = new Map<string, CostLine>();
  for (const l of lines) {
    const key = [l.instance, l.component, l.item, l.unit, l.basis].join("\u0000");
    const seen = by.get(key);
    by.set(key, seen ? { ...seen, quantity: seen.quantity + l.quantity, usdPerMonth: seen.usdPerMonth + l.usdPerMonth } : l);
  }
  return [...by.values()];
}

/** The estimate as a table for people, with what it rests on under it. */
export function renderReport(report: CostReport, byResource = false): string {
  if (byResource) return [heading(report), resourceTable(report), footer(report), ...report.notes].join("\n");
  const table = new Table({
    head: ["component", "item", "quantity a month", "USD a month", "basis"],
    style: { head: [], border: [], compact: true },
  });
  for (const l of merged(report.lines))
    table.push([who(l), l.item, `${quantity(l.quantity)} ${unitOf(l.quantity, l.unit)}`, usd(l.usdPerMonth), l.basis]);
  table.push(["total", "", "", usd(report.totalUsdPerMonth), ""]);
  return [heading(report), table.toString(), months(report), footer(report), ...report.notes].filter(Boolean).join("\n");
}

const heading = (report: CostReport) =>
  `Estimate for month ${report.month} at ${report.usage.uploadsPerDay.toLocaleString("en-US")} uploads a day of ${report.usage.meanMegapixels} megapixels, ${report.region} prices of ${report.pricesAsOf}${report.freeTier ? ", the always-free tier applied" : ""}:`;

/** Each month's total, where more than one was asked for: storage accumulates month by month. */
function months(report: CostReport): string {
  if (report.monthly.length < 2) return "";
  const table = new Table({ head: ["month", "USD"], style: { head: [], border: [], compact: true } });
  for (const m of report.monthly) table.push([String(m.month), usd(m.totalUsdPerMonth)]);
  return `Month by month (storage accumulates):\n${table.toString()}`;
}

/** The estimate by Terraform address, as Infracost breaks it down: each resource with its lines' total. */
function resourceTable(report: CostReport): string {
  const by = new Map<string, number>();
  for (const l of report.lines) by.set(resourceOf(l), (by.get(resourceOf(l)) ?? 0) + l.usdPerMonth);
  const table = new Table({ head: ["resource", "USD a month"], style: { head: [], border: [], compact: true } });
  for (const [address, usdPerMonth] of [...by.entries()].sort((a, b) => b[1] - a[1])) table.push([address, usd(usdPerMonth)]);
  table.push(["total", usd(report.totalUsdPerMonth)]);
  return table.toString();
}

/** What the basis column means, and the assumptions behind the lines shown. */
function footer(report: CostReport): string {
  const { lines, usage } = report;
  const used = new Set(lines.map((l) => l.basis));
  return [
    used.has("measured")
      ? "measured: durations from BENCHMARKS.md (against the emulator; real latencies are longer), requests per image from the functions' own code (cli/core/cost/requests-per-image.json)."
      : "",
    "configured: counts read from the configuration (memory, architecture, indexes, alarms, retention, ...).",
    used.has("assumed")
      ? `assumed: ${(usage.meanObjectBytes / 1e6).toFixed(1)} MB an upload, ${usage.noticeRate * 100} % with a notice, ${usage.overwriteRate * 100} % overwritten, ${usage.deletionRate * 100} % deleted${usage.retentionDays ? `, kept ${usage.retentionDays} days` : ""}, ${usage.coldStartRate * 100} % cold starts (the usage: --usage-file changes it); ${ASSUMPTIONS.itemBytes / 1000} KB items, ${ASSUMPTIONS.logBytesPerInvocation / 1000} KB of logs an invocation (--json lists every assumption).`
      : "",
    "Not applied: lower tiers at high volume, data transfer. Storage is the month's average (GiB-months, 2^30 bytes): --months N shows it accumulate.",
  ]
    .filter(Boolean)
    .join("\n");
}

/** A plan's change as a table: each component (or resource) whose cost it changes, before and after. */
export function renderDifference(difference: ReturnType<typeof costDifference>, report: CostReport, byResource = false): string {
  const head = [byResource ? "resource" : "component", "before", "after", "difference"];
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const c of difference.changes)
    table.push([who(c), usd(c.beforeUsdPerMonth), usd(c.afterUsdPerMonth), signed(c.afterUsdPerMonth - c.beforeUsdPerMonth)]);
  table.push(["total", usd(difference.beforeUsdPerMonth), usd(difference.afterUsdPerMonth), signed(difference.differenceUsdPerMonth)]);
  return [
    `Monthly cost this plan changes, at ${report.usage.uploadsPerDay.toLocaleString("en-US")} uploads a day of ${report.usage.meanMegapixels} megapixels, ${report.region} prices of ${report.pricesAsOf}:`,
    difference.changes.length === 0 ? `(no ${byResource ? "resource" : "component"}'s estimate changes)` : "",
    table.toString(),
    footer(report),
  ]
    .filter(Boolean)
    .join("\n");
}

const signed = (n: number) => (n > 0 ? `+${usd(n)}` : n < 0 ? `-${usd(-n)}` : "$0.00");
