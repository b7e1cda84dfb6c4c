// Where a synth's time goes, for `npm run bench` (scripts/bench.mjs): each phase in a fresh process,
// so each pays its own module loading as `npm run synth` does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./build.mjs";
import { median } from "./timing.mjs";

/** esbuild: the processor bundle rebuilt and the app transpiled, in one process. */
const buildProbe = `import("./scripts/build.mjs").then(async ({ buildApp, buildFunction }) => {
  const start = process.hrtime.bigint();
  await Promise.all([buildFunction({ force: true }), buildApp({ force: true })]);
  process.stdout.write(JSON.stringify([Number(process.hrtime.bigint() - start) / 1e6]));
});`;

/** Loading cdktf and the providers (deep imports), building the three environment stacks' tree, writing them. */
const appProbe = `
const t0 = process.hrtime.bigint();
const { App } = require("cdktf");
const { EnvironmentStack } = require("./.build/app/constructs/shipping/environment-stack.js");
const t1 = process.hrtime.bigint();
const app = new App({ outdir: process.env.CDKTF_OUTDIR });
for (const environment of ["dev", "staging", "prod"]) new EnvironmentStack(app, "image-processing-" + environment, { environment, region: "us-east-1", stateBackend: { bucket: "b", region: "us-east-1" } });
const t2 = process.hrtime.bigint();
app.synth();
const t3 = process.hrtime.bigint();
process.stdout.write(JSON.stringify([t1 - t0, t2 - t1, t3 - t2].map((ns) => Number(ns) / 1e6)));
`;

/** The module: its two stacks synthesized and laid out as HCL (scripts/package-module.mjs), modules loaded first. */
const moduleProbe = `import("./scripts/package-module.mjs").then(async ({ packageModule }) => {
  require("cdktf");
  const start = process.hrtime.bigint();
  await packageModule(process.env.MODULE_OUTDIR, { build: false });
  process.stdout.write("\\n" + JSON.stringify([Number(process.hrtime.bigint() - start) / 1e6]));
  process.exit();
});`;

/** Medians of `runs`: esbuild / load modules / build tree / write the environment stacks / the module. */
export function synthPhaseMedians(runs, env, outdir) {
  const moduleDir = mkdtempSync(join(tmpdir(), "bench-module-"));
  // The figures are the last line: packaging the module says a line of its own before.
  const run = (probe, extra = {}) =>
    JSON.parse(
      execFileSync(process.execPath, ["-e", probe], { cwd: ROOT, env: { ...env, ...extra } })
        .toString()
        .trim()
        .split("\n")
        .pop(),
    );
  const phases = Array.from({ length: runs }, () => [
    ...run(buildProbe),
    ...run(appProbe, { CDKTF_OUTDIR: outdir }),
    ...run(moduleProbe, { MODULE_OUTDIR: join(moduleDir, "module") }),
  ]);
  rmSync(moduleDir, { recursive: true, force: true });
  return [0, 1, 2, 3, 4].map((i) => median(phases.map((p) => p[i])));
}
