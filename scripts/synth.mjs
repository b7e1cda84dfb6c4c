// `npm run synth` and cdktf.json's app: build with esbuild, then run the app in this same
// process (one node start instead of ts-node's several seconds of type checking): the
// environment stacks into cdktf.out/, and the module stack into dist/terraform-module/.
// CDK_FRAMEWORK=cdktn builds and runs the same app on CDK Terrain (scripts/frameworks.cjs);
// CDKTF_OUTDIR and MODULE_OUTDIR put the stacks and the module elsewhere.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT, ZIP_CACHE_DIR, appDir, buildApp, buildDerivatives, buildFunction } from "./build.mjs";
import { packageModule } from "./package-module.mjs";

process.env.CHECKPOINT_DISABLE ??= "1";
process.env.IMAGE_PIPELINE_ZIP_CACHE ??= ZIP_CACHE_DIR;
process.chdir(ROOT);
const framework = createRequire(import.meta.url)("./frameworks.cjs").frameworkFrom();
// Everything synth zips is built here, so the main job works on a clone where nothing was built.
// SYNTH_REBUILD=1 rebuilds the processor bundle even when its inputs are unchanged.
await Promise.all([buildFunction({ force: process.env.SYNTH_REBUILD === "1" }), buildDerivatives(), buildApp({ framework })]);
createRequire(import.meta.url)(join(appDir(framework), "main.js"));
// `cdktf synth` prints the stacks' warnings itself; run directly, say them here, as it would.
if (!process.env.CDKTF_CONTEXT_JSON) printAnnotations(process.env.CDKTF_OUTDIR ?? join(ROOT, "cdktf.out"));
// Under `cdktf synth` the CLI reads only cdktf.out; the module is for `npm run synth` and packaging.
if (!process.env.CDKTF_CONTEXT_JSON) await packageModule(process.env.MODULE_OUTDIR || undefined, { build: false, framework });
// Everything is written (synchronously). When the module's HCL changed, the formatter's Go runtime
// started, and its timers would hold the process ~2 s longer (scripts/hcl/format.cjs): end now.
process.exit();

/** Every warning and error the stacks were annotated with (manifest.json), one line each on stderr. */
function printAnnotations(outdir) {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  for (const [stack, { annotations = [] }] of Object.entries(manifest.stacks)) {
    for (const { level, constructPath, message } of annotations) {
      process.stderr.write(`[${level.replace("@cdktf/", "")}] ${stack} (${constructPath}): ${message}\n`);
    }
  }
}
