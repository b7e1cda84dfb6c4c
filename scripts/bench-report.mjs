// Parts of `npm run bench` (scripts/bench.mjs): the read-cost rows, from the figures the bench and the
// integration suite write, and the report (the table, BENCHMARKS.md with --write, the exit code).
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

/**
 * S3 requests, round trips, GETs and bytes per image: the whole differential corpus through the
 * processor's own path against an in-memory S3 that counts every request (build/bench/reads.json, this run), and its subset through the bundle against moto,
 * measured at the proxy by the integration suite (build/test-results/reads.json). Both are
 * deterministic for the fixed corpus.
 */
export function corpusReadRows(ROOT, MAX_ROUND_TRIPS) {
  const corpus = JSON.parse(readFileSync(join(ROOT, "build", "bench", "reads.json"), "utf8"));
  const { windowBytes, maxBytes } = corpus.budget;
  const spread = ({ p50, p99, max }) => `${p50} / ${p99} / ${max}`;
  const rows = [
    {
      name: `corpus (${corpus.images} images, ${corpus.lateHeaders} with the frame header past the first window): sequential S3 round trips per image p50 / p99 / max`,
      value: spread(corpus.roundTrips),
      budget: `max ≤ ${MAX_ROUND_TRIPS}`,
      ok: corpus.roundTrips.max <= MAX_ROUND_TRIPS,
      timing: false,
    },
    {
      name: "corpus: S3 requests per image p50 / p99 / max (every kind; the first GET answers the head, no HeadObject)",
      value: spread(corpus.requests),
      budget: "= GETs",
      ok: corpus.requests.max === corpus.gets.max && corpus.requests.p99 === corpus.gets.p99 && corpus.requests.p50 === corpus.gets.p50,
      timing: false,
    },
    {
      name: "corpus: GETs per image p50 / p99 / max",
      value: spread(corpus.gets),
      budget: `max ≤ ${corpus.budget.maxGets}`,
      ok: corpus.gets.max <= corpus.budget.maxGets,
      timing: false,
    },
    {
      name: "corpus: bytes per image p50 / p99 / max",
      value: `${spread(corpus.bytes)} B`,
      budget: `p50 ≤ ${windowBytes} B, max ≤ ${maxBytes} B`,
      ok: corpus.bytes.p50 <= windowBytes && corpus.bytes.max <= maxBytes,
      timing: false,
    },
    {
      name: `corpus: modelled time to a decision, p50 / p99 / max (${corpus.modelledMs.model.msPerRoundTrip} ms per round trip + ${corpus.modelledMs.model.bytesPerMs / 1000} MB/s)`,
      value: `${corpus.modelledMs.p50.toFixed(0)} / ${corpus.modelledMs.p99.toFixed(0)} / ${corpus.modelledMs.max.toFixed(0)} ms`,
      budget: "report",
      ok: true,
      timing: false,
    },
    {
      name: `corpus, frame header in the first window (${corpus.frameHeaderInFirstWindow.images} images): S3 requests / GETs / bytes, max`,
      value: `${corpus.frameHeaderInFirstWindow.requestsMax} / ${corpus.frameHeaderInFirstWindow.getsMax} / ${corpus.frameHeaderInFirstWindow.bytesMax} B`,
      budget: `1 S3 request, a GET of ≤ ${windowBytes} B`,
      ok:
        corpus.frameHeaderInFirstWindow.requestsMax === 1 &&
        corpus.frameHeaderInFirstWindow.getsMax === 1 &&
        corpus.frameHeaderInFirstWindow.bytesMax <= windowBytes,
      timing: false,
    },
  ];
  const budgets = JSON.parse(readFileSync(join(ROOT, "__tests__", "bench", "service-call-budgets.json"), "utf8"));
  const byService = (means) =>
    Object.entries(means)
      .map(([service, n]) => `${service} ${Number(n.toFixed(2))}`)
      .join(", ");
  for (const [set, figures] of [
    [`corpus (${corpus.images} images)`, corpus],
    [`fixtures (${corpus.fixtures.images} images, ${corpus.fixtures.services.notices} with a notice)`, corpus.fixtures],
  ]) {
    for (const [config, services] of [
      ["default", figures.services],
      ["with derivatives (renditions requested)", figures.servicesWithRenditions],
    ]) {
      rows.push({
        name: `${set}, ${config}: sequential round trips to all services per image p50 / p99 / max; typical images (one GET, no notice: ${services.typical.images}) max; requests per image by service (mean)`,
        value: `${spread(services.roundTrips)}; ${services.typical.roundTrips.max}; ${byService(services.meanRequestsByService)}`,
        budget: `max ≤ ${budgets.corpusMax}${config === "default" ? `; typical ≤ ${budgets.typicalImage}` : ""}`,
        ok:
          services.roundTrips.max <= budgets.corpusMax && (config !== "default" || services.typical.roundTrips.max <= budgets.typicalImage),
        timing: false,
      });
    }
  }
  const paths = JSON.parse(readFileSync(join(ROOT, "build", "bench", "requests-per-image.json"), "utf8"));
  const calls = (path) =>
    `${path.roundTrips} (${Object.entries(path.requests)
      .map(([request, n]) => (n === 1 ? request : `${n} × ${request}`))
      .join(", ")})`;
  rows.push({
    name: `derivatives request (${paths.derivatives.renditions} renditions): sequential round trips besides the render (requests)`,
    value: calls(paths.derivatives.rendered),
    budget: `≤ ${budgets.derivativesBesidesRender}`,
    ok: paths.derivatives.rendered.roundTrips <= budgets.derivativesBesidesRender,
    timing: false,
  });
  for (const [name, path] of Object.entries(paths.processor))
    rows.push({
      name: `processor, ${name}: sequential round trips (requests), what the cost estimate prices`,
      value: calls(path),
      budget: "report",
      ok: true,
      timing: false,
    });
  return [
    ...rows,
    ...corpusSubsetRows(ROOT, MAX_ROUND_TRIPS, budgets, { spread, byService, maxBytes }),
    derivativesRequestsRow(ROOT, budgets),
  ];
}

/** What the integration suite measured at its proxy, or a row saying it was not run. */
function integrationFigures(ROOT, file, what) {
  try {
    return JSON.parse(readFileSync(join(ROOT, "build", "test-results", file), "utf8"));
  } catch {
    return {
      missing: { name: `${what} (run npm run test:integration first)`, value: "not measured", budget: "report", ok: true, timing: false },
    };
  }
}

/** The processor's requests at the proxy: the corpus subset through the bundle against moto (corpus.integration.test.ts). */
function corpusSubsetRows(ROOT, MAX_ROUND_TRIPS, budgets, { spread, byService, maxBytes }) {
  const subset = integrationFigures(ROOT, "reads.json", "corpus subset through the bundle against moto");
  if (subset.missing) return [subset.missing];
  return [
    {
      name: `corpus subset through the bundle against moto (${subset.images} images): S3 requests / GETs / bytes per image p50 / p99 / max, at the proxy`,
      value: `${spread(subset.requests)} / ${spread(subset.gets)} / ${spread(subset.bytes)} B`,
      budget: `requests = GETs, max ≤ ${MAX_ROUND_TRIPS}; bytes max ≤ ${maxBytes} B`,
      ok: subset.requests.max === subset.gets.max && subset.gets.max <= MAX_ROUND_TRIPS && subset.bytes.max <= maxBytes,
      timing: false,
    },
    {
      name: `corpus subset against moto (${subset.images} images), all services at the proxy: sequential round trips per image p50 / p99 / max; typical images max; requests per image (mean)`,
      value: `${spread(subset.services.roundTrips)}; ${subset.services.typicalMax}; ${byService(subset.services.requests)}`,
      budget: `max ≤ ${budgets.corpusMax}; typical ≤ ${budgets.typicalImage}`,
      ok: subset.services.roundTrips.max <= budgets.corpusMax && subset.services.typicalMax <= budgets.typicalImage,
      timing: false,
    },
  ];
}

/**
 * The derivatives function's requests at the proxy, per derivatives request (derivatives-requests.integration.test.ts):
 * requests by API (mean), and the round trips in order, the requests of each in flight together (∥).
 */
function derivativesRequestsRow(ROOT, budgets) {
  const measured = integrationFigures(ROOT, "derivatives-requests.json", "derivatives requests through the bundle against moto");
  if (measured.missing) return measured.missing;
  const { renditions, requests } = measured;
  const apis = [...new Set(requests.flatMap((r) => Object.keys(r.requestsByApi)))];
  const mean = (api) => Number((requests.reduce((n, r) => n + (r.requestsByApi[api] ?? 0), 0) / requests.length).toFixed(2));
  const orders = [...new Set(requests.map((r) => r.sequence.map((trip) => trip.map((c) => c.request).join(" ∥ ")).join(" → ")))];
  const maxTrips = Math.max(...requests.map((r) => r.roundTrips));
  return {
    name: `derivatives requests against moto (${requests.length} sources, ${renditions} renditions, first rendering), all services at the proxy: sequential round trips besides the render max; requests per request (mean); round trips in order (∥ in flight together)`,
    value: `${maxTrips}; ${apis.map((api) => `${api} ${mean(api)}`).join(", ")}; ${orders.join(" | ")}`,
    budget: `≤ ${budgets.derivativesBesidesRender}`,
    ok: maxTrips <= budgets.derivativesBesidesRender,
    timing: false,
  };
}

/** Prints the table, writes it into BENCHMARKS.md when asked, and exits non-zero when a gating figure is over its budget. */
export function reportFigures(figures, { root, runs, reportOnlyTiming, largest, write }) {
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, ${process.platform}/${process.arch}`;
  const table = [
    "| Figure | Result | Budget | |",
    "| --- | --- | --- | --- |",
    ...figures.map(
      (f) =>
        `| ${f.name} | ${f.value} | ${f.budget} | ${f.budget === "report" ? "" : f.ok ? "ok" : f.timing && reportOnlyTiming ? "over (report only)" : "OVER"} |`,
    ),
  ].join("\n");
  console.log(`Machine: ${machine}; medians of ${runs} runs\n\n${table}\n`);
  console.log(`Largest bundle inputs: ${largest.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(", ")}`);

  if (write) {
    const doc = readFileSync(join(root, "BENCHMARKS.md"), "utf8");
    const start = "<!-- results:start -->";
    const end = "<!-- results:end -->";
    const results = [
      start,
      `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; medians of ${runs} runs.`,
      "",
      table,
      "",
      `Largest bundle inputs (esbuild metafile): ${largest.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(", ")}.`,
      end,
    ].join("\n");
    writeFileSync(join(root, "BENCHMARKS.md"), doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), results));
  }

  const failed = figures.filter((f) => !f.ok && !(f.timing && reportOnlyTiming));
  if (failed.length > 0) {
    console.error(`Over budget: ${failed.map((f) => f.name).join("; ")}`);
    process.exit(1);
  }
}

/**
 * What the cost estimate takes from this run, committed with BENCHMARKS.md (`--write`): the requests
 * per image of each path (__tests__/cli/core/cost/requests.test.ts checks they are current), and the
 * durations cli/core/cost/measured.ts reads, each as BENCHMARKS.md's rows round it (measured.test.ts
 * reads them back from there).
 */
export function writeCostFigures(ROOT, { emulator, coldStart, deferredTracingMs, derivatives }) {
  const costDir = join(ROOT, "cli", "core", "cost");
  copyFileSync(join(ROOT, "build", "bench", "requests-per-image.json"), join(costDir, "requests-per-image.json"));
  const ms = (value) => Number(value.toFixed(0));
  const durations = {
    source: "npm run bench -- --write (scripts/bench-report.mjs), the run BENCHMARKS.md reports: against the emulator, in ms",
    processorWarmMs: ms(emulator.memory.invocationMs),
    processorColdStartMs: ms(coldStart.median),
    processorFirstEventMs: ms(deferredTracingMs),
    derivativesMeasuredRenditions: derivatives.renditions.length,
    derivativesMsByMegapixels: derivatives.rows.map((row) => ({ megapixels: row.megapixels, warm: ms(row.warm.ms), cold: ms(row.ms) })),
  };
  writeFileSync(join(costDir, "durations.json"), `${JSON.stringify(durations, null, 2)}\n`);
}
