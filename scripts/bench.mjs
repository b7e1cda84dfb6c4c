// `npm run bench`: every performance budget of the project, measured, printed with its budget,
// and a non-zero exit when one is exceeded. Medians over RUNS fresh processes; ratios against
// baselines measured in the same run.
//
//   node scripts/bench.mjs [--runs N] [--timing-report-only] [--write]
//     --timing-report-only  wall-clock budgets are reported but never fail (shared CI machines are noisy);
//                           the deterministic ones (bundle size, bytes read, peak memory) still gate
//     --write               rewrite BENCHMARKS.md with the results
//     --skip-slow-reports   leave out the two slowest report-only timings (the template's synth path, ~36 s,
//                           and the cold unit suite, ~40 s): CI's budget of minutes goes where something gates
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFERRED_MODULES, FUNCTION_DIR, ROOT, buildDerivatives, buildFunction, bundleSummary } from "./build.mjs";
import { stagePackage } from "./pack.mjs";
import {
  DERIVATIVES_COLD_START,
  PROCESSOR_WITH_QUEUE,
  buildBareSdkBundle,
  measureColdStart,
  measureColdStartRatio,
  measureDeferredTracing,
} from "./cold-start.mjs";
import { baselineSynthMs } from "./synth-baseline.mjs";
import { synthPhaseMedians } from "./synth-phases.mjs";
import { suiteTypeScript, transformMs } from "./transform-cost.mjs";
import { corpusReadRows, reportFigures, writeCostFigures } from "./bench-report.mjs";
import { median, wallMs as measureMs } from "./timing.mjs";

const args = process.argv.slice(2);
const RUNS = Number(args.includes("--runs") ? args[args.indexOf("--runs") + 1] : 5);
const reportOnlyTiming = args.includes("--timing-report-only");
const skipSlowReports = args.includes("--skip-slow-reports");
if (skipSlowReports && args.includes("--write"))
  throw new Error("--skip-slow-reports leaves figures out: BENCHMARKS.md is written from a full run");
const env = { ...process.env, CHECKPOINT_DISABLE: "1", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

const wallMs = (command, commandArgs, options = {}) => measureMs(command, commandArgs, { env, ...options });
const times = (n, measure) => Array.from({ length: n }, measure);
const log = (text) => process.stderr.write(`${text}\n`);

// --- Synth: this project's path, where its time goes, and the cdktf template's default path ---
log("synth: npm run synth (node scripts/synth.mjs), fresh processes");
const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
const synthOnce = (extra = {}) => wallMs(process.execPath, ["scripts/synth.mjs"], { env: { ...env, CDKTF_OUTDIR: outdir, ...extra } });
const synthMs = median(times(RUNS, () => synthOnce()));
const synthRebuildMs = median(times(RUNS, () => synthOnce({ SYNTH_REBUILD: "1" })));

const phaseMedians = synthPhaseMedians(RUNS, env, outdir);

if (!skipSlowReports) log("synth baseline: cdktf synth + ts-node + barrel imports (the template's default path)");
const baselineMs = skipSlowReports ? undefined : baselineSynthMs(RUNS, env);
rmSync(outdir, { recursive: true, force: true });

// --- Unit tests, cold (no jest cache), and what the cold cache costs: transforming the suite's TypeScript ---
if (!skipSlowReports) log("unit tests: jest --no-cache");
const jest = join(ROOT, "node_modules", "jest", "bin", "jest.js");
const unitMs = skipSlowReports ? undefined : median(times(RUNS, () => wallMs(process.execPath, [jest, "--no-cache", "--silent"])));
const suiteFiles = suiteTypeScript();
const unitTransformMs = median(times(RUNS, () => transformMs(suiteFiles, env)));
const unitTestFiles = suiteFiles.filter(
  (file) => file.endsWith(".test.ts") && !/__tests__\/(integration|package|bench|deploy|differential)\//.test(file),
).length;

// --- Processor bundle ---
log("processor bundle and cold start");
const { metafile } = await buildFunction();
const bundleBytes = statSync(join(FUNCTION_DIR, "index.js")).size;
const deferredBytes = DEFERRED_MODULES.reduce((sum, d) => sum + statSync(join(FUNCTION_DIR, d.file)).size, 0);
const { largest } = bundleSummary(metafile);
const coldStart = measureColdStart(Math.max(RUNS, 9));
// The ratio against the bare SDK clients' bundle, alternating process by process: many runs, since it gates everywhere.
const coldStartRatio = measureColdStartRatio(Math.max(RUNS * 4, 21), PROCESSOR_WITH_QUEUE, await buildBareSdkBundle());
const deferredTracingMs = measureDeferredTracing(Math.max(RUNS, 9));
await buildDerivatives();
const derivativesColdStart = measureColdStart(Math.max(RUNS, 9), DERIVATIVES_COLD_START);

// --- Emulator figures: bytes read, throughput, memory (moto, through the integration runner) ---
log("emulator: bytes read per image, throughput, peak memory");
const emulatorRun = spawnSync(process.execPath, ["scripts/run-integration.mjs"], {
  cwd: ROOT,
  // Where timings only report, two files at a time (each with its own emulator): the budgets that
  // gate (bytes, GETs, peak memory) do not depend on it. Timings that count run one file at a time.
  env: { ...env, JEST_CONFIG: "jest.bench.config.js", BENCH_RUNS: String(RUNS), MOTO_SERVERS: reportOnlyTiming ? "2" : "1" },
  stdio: ["ignore", "ignore", "inherit"],
});
if (emulatorRun.status !== 0) throw new Error("the emulator benchmarks failed");
const emulator = JSON.parse(readFileSync(join(ROOT, "build", "bench", "emulator.json"), "utf8"));
const backfill = JSON.parse(readFileSync(join(ROOT, "build", "bench", "backfill.json"), "utf8"));
const derivatives = JSON.parse(readFileSync(join(ROOT, "build", "bench", "derivatives.json"), "utf8"));

// --- The npm package: what `npm run pack` would publish (the library built by npm ci's prepare, the bundles above) ---
log("npm package: npm pack --dry-run of the staged package");
const packedPackage = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: stagePackage("cdktf"), env }).toString(),
)[0];

// --- Budgets ---
const bytesRows = emulator.bytesRead.rows;
const constantBytes = new Set(bytesRows.map((r) => r.bytesRequested)).size === 1;
const perImageS = emulator.memory.invocationMs / 1000;
const gbSeconds = (memoryMb, seconds = perImageS) => (1000 * Math.max(seconds, 0.001) * memoryMb) / 1024;
const DERIVATIVES_MEMORY_MB = 1536;
/** The derivatives ratio gates from photo sizes up, where libvips' work is what the function does. */
const DERIVATIVES_RATIO_FROM_MP = 12;
/** Sequential round trips to S3 per image (issue 25): each is S3's first-byte latency. */
const MAX_ROUND_TRIPS = 4;
/** Synth's budget: the three stacks' 1,000 ms, and 500 ms for the module it has written since 0.4.0. */
const SYNTH_BUDGET_MS = 1500;
const typicalPhoto = derivatives.rows.find((r) => r.megapixels === 12);
const figures = [
  {
    name: "synth: 3 environment stacks + module stack (median)",
    value: `${synthMs.toFixed(0)} ms`,
    // 1,000 ms was set for the three environment stacks; since 0.4.0 the same synth also writes the
    // Terraform module (its two stacks synthesized and written as HCL: ~0.7 s of the phases below).
    budget: `≤ ${SYNTH_BUDGET_MS} ms`,
    ok: synthMs <= SYNTH_BUDGET_MS,
    timing: true,
  },
  {
    name: "synth with the processor bundle rebuilt (first synth of a clone, median)",
    value: `${synthRebuildMs.toFixed(0)} ms`,
    budget: "report",
    ok: true,
    timing: true,
  },
  {
    name: "synth baseline: cdktf synth + ts-node + barrel (median)",
    value:
      baselineMs === undefined
        ? "not measured (--skip-slow-reports)"
        : `${baselineMs.toFixed(0)} ms (×${(baselineMs / synthMs).toFixed(1)} slower)`,
    budget: "report",
    ok: true,
    timing: true,
  },
  {
    name: "synth phases: esbuild (bundle rebuilt + transpile) / load modules / build tree / write the environment stacks / the module (its two stacks synthesized, written as HCL)",
    value: phaseMedians.map((ms) => `${ms.toFixed(0)} ms`).join(" / "),
    budget: "report",
    ok: true,
    timing: true,
  },
  {
    // 15 s until 2026-12-07, set when the suite was 25 test files (11.6 s); it was 59 at 40.4 s, and
    // is over 100: its time is the tests' own work (API Extractor over the library's declarations, the
    // docs with Graphviz, app synths in child processes, each file's own load of the framework, both
    // flavors), which grows with the suite, not the cold start the budget watched. Reported; what gates
    // is the cold start itself, below, against the suite.
    name: `unit suite, cold (jest --no-cache, median; ${unitTestFiles} test files, both flavors)`,
    value: unitMs === undefined ? "not measured (--skip-slow-reports)" : `${(unitMs / 1000).toFixed(1)} s`,
    budget: "report",
    ok: true,
    timing: true,
  },
  {
    // What --no-cache adds: each worker transforms what it loads, once per flavor; swc strips types (jest.base.config.js).
    name: `unit suite's cold start: transforming every TypeScript file it loads once (${suiteFiles.length} files, jest's transformer, a fresh process; median) / the cold suite`,
    value:
      unitMs === undefined
        ? `${(unitTransformMs / 1000).toFixed(1)} s / not measured`
        : `${(unitTransformMs / 1000).toFixed(1)} s / ${(unitMs / 1000).toFixed(1)} s = ${((100 * unitTransformMs) / unitMs).toFixed(1)} %`,
    budget: "≤ 10 %",
    ok: unitMs === undefined || unitTransformMs <= 0.1 * unitMs,
    timing: true,
  },
  {
    name: "processor bundle (minified), and the modules it loads on first need (Tracer, image-size, exifr)",
    value: `${(bundleBytes / 1e6).toFixed(3)} MB + ${(deferredBytes / 1e6).toFixed(3)} MB`,
    budget: "≤ 0.8 MB in all",
    ok: bundleBytes + deferredBytes <= 800_000,
    timing: false,
  },
  {
    name: "processor cold start: load bundle + create clients (median)",
    value: `${coldStart.median.toFixed(0)} ms`,
    budget: "report",
    ok: true,
    timing: true,
  },
  {
    // Two figures measured side by side in one run, so it holds on any machine; still wall-clock time, which
    // swung ×0.92–×1.15 between full runs on two shared cores: gated by `npm run bench`, reported by CI's run.
    name: `processor cold start / bare SDK clients' bundle (S3, DynamoDB document client, SNS, SQS; same SDK versions and esbuild options), ${coldStartRatio.runs} alternating runs`,
    value: `${coldStartRatio.targetMs.toFixed(0)} ms / ${coldStartRatio.floorMs.toFixed(0)} ms = ×${coldStartRatio.ratio.toFixed(2)}`,
    budget: "≤ ×1.15",
    ok: coldStartRatio.ratio <= 1.15,
    timing: true,
  },
  {
    name: "processor's first event: X-Ray tracing set-up deferred from cold start (load and create the Tracer; median)",
    value: `${deferredTracingMs.toFixed(0)} ms`,
    budget: "report",
    ok: true,
    timing: true,
  },
  ...bytesRows.map((row) => ({
    name: `bytes read from S3, ${row.label} image (vs full download)`,
    value: `${row.bytesRequested} B in ${row.gets} GET, ${row.requests} S3 request in all (full: ${row.objectBytes} B)`,
    budget: `= ${emulator.bytesRead.windowBytes} B, constant; 1 S3 request`,
    ok: constantBytes && row.bytesRequested <= emulator.bytesRead.windowBytes && row.requests === 1,
    timing: false,
  })),
  ...corpusReadRows(ROOT, MAX_ROUND_TRIPS),
  {
    name: "throughput: handler / bare SDK calls, 100 objects (medians)",
    value: `${emulator.throughput.handlerMs.toFixed(0)} ms / ${emulator.throughput.bareSdkMs.toFixed(0)} ms = ×${emulator.throughput.ratio.toFixed(2)}`,
    budget: "≤ ×1.3",
    ok: emulator.throughput.ratio <= 1.3,
    timing: true,
  },
  {
    name: "peak RSS processing a 50 MB image (fresh process)",
    value: `${emulator.memory.peakRssMb.toFixed(0)} MB`,
    budget: "< 128 MB",
    ok: emulator.memory.peakRssMb < 128,
    timing: false,
  },
  {
    name: `image-pipeline backfill of ${backfill.objects.toLocaleString("en")} objects against moto (batch 25, ${backfill.events} async invokes)`,
    value: `${backfill.objectsPerSecond} objects/s (${backfill.seconds.toFixed(1)} s)`,
    budget: "≥ 200 objects/s",
    ok: backfill.objectsPerSecond >= 200,
    timing: true,
  },
  {
    name: `backfill peak RSS: ${backfill.objects.toLocaleString("en")} objects with the V8 heap capped at ${backfill.heapCapMb} MB, vs ${(backfill.objects / 10).toLocaleString("en")} objects`,
    value: `${backfill.peakRssMb.toFixed(0)} MB vs ${backfill.peakRssMbAtTenth.toFixed(0)} MB`,
    budget: `completes under the cap; ≤ the tenth's run + 48 MB`,
    ok: backfill.peakRssMb <= backfill.peakRssMbAtTenth + 48,
    timing: false,
  },
  {
    name: "cost: GB-seconds per 1,000 images at 256 MB (512 MB)",
    value: `${gbSeconds(256).toFixed(1)} (${gbSeconds(512).toFixed(1)}) from ${emulator.memory.invocationMs.toFixed(0)} ms per image`,
    budget: "report",
    ok: true,
    timing: true,
  },
  ...derivatives.rows.map((row) => ({
    name: `derivatives (${derivatives.renditions.join(" + ")}), ${row.megapixels} MP JPEG, cold: time per request, per megapixel / peak RSS (fresh process)`,
    value: `${row.ms.toFixed(0)} ms, ${row.msPerMegapixel.toFixed(0)} ms/MP / ${row.peakRssMb.toFixed(0)} MB`,
    budget: `peak ≤ ${DERIVATIVES_MEMORY_MB / 2} MB`,
    ok: row.peakRssMb <= DERIVATIVES_MEMORY_MB / 2,
    timing: false,
  })),
  ...derivatives.rows.map((row) => {
    // Both in one warm process, alternating: a ratio that holds on any machine, but of wall-clock times (gated by
    // `npm run bench`, reported by CI's run, like the cold-start ratio). Below
    // photo sizes the handler's four sequential service round trips (item and current version, source, renditions,
    // record), which the floor does not make, are a fixed ~100 ms against moto: reported, not gated.
    const gated = row.megapixels >= DERIVATIVES_RATIO_FROM_MP;
    return {
      name: `derivatives, ${row.megapixels} MP JPEG, warm: the deployed handler (S3 read, renditions, S3 writes, item) / bare sharp making the same renditions of the same bytes, one after another (medians)`,
      value: `${row.warm.ms.toFixed(0)} ms / ${row.warm.bareSharpMs.toFixed(0)} ms = ×${row.warm.ratio.toFixed(2)}`,
      budget: gated ? "≤ ×1.25" : "report",
      ok: !gated || row.warm.ratio <= 1.25,
      timing: true,
    };
  }),
  {
    name: "derivatives asset: zip of the bundle and sharp + libvips for linux-arm64",
    value: `${(derivatives.assetZipBytes / 1e6).toFixed(1)} MB`,
    budget: "≤ 50 MB (Lambda's direct upload)",
    ok: derivatives.assetZipBytes <= 50e6,
    timing: false,
  },
  {
    name: "npm package: packed (unpacked), npm pack of lib/, both functions' code, docs and examples",
    value: `${(packedPackage.size / 1e6).toFixed(1)} MB (${(packedPackage.unpackedSize / 1e6).toFixed(1)} MB)`,
    // Nine tenths of it is libvips for linux-arm64, which the derivatives function needs. 10.5 MB until
    // the command's AWS SDK clients and libraries were bundled into lib/cli/index.js (3.0 MB, minified;
    // 10.9 MB packed measured) instead of being installed beside the package as dependencies: what an
    // app's install adds fell from ~74 MB to 27.5 MB (the package suite's budget, tarball.test.ts).
    budget: "≤ 11 MB packed",
    ok: packedPackage.size <= 11e6,
    timing: false,
  },
  {
    name: "derivatives cold start: load bundle + sharp (x64 here) + create clients (median)",
    value: `${derivativesColdStart.median.toFixed(0)} ms`,
    budget: "report",
    ok: true,
    timing: true,
  },
  {
    name: `cost: GB-seconds per 1,000 images, metadata (256 MB) + derivatives (${DERIVATIVES_MEMORY_MB} MB, 12 MP photos) vs metadata only`,
    value: `${(gbSeconds(256) + gbSeconds(DERIVATIVES_MEMORY_MB, typicalPhoto.ms / 1000)).toFixed(1)} vs ${gbSeconds(256).toFixed(1)}`,
    budget: "report",
    ok: true,
    timing: true,
  },
];

// What the cost estimate takes from this run, committed with the results (cli/core/cost/), before
// the report, which exits non-zero when a budget is exceeded.
if (args.includes("--write")) writeCostFigures(ROOT, { emulator, coldStart, deferredTracingMs, derivatives });
reportFigures(figures, { root: ROOT, runs: RUNS, reportOnlyTiming, largest, write: args.includes("--write") });
