// `npm run package:module`: synthesizes the module stack and lays it out as a plain
// Terraform child module in dist/terraform-module/:
//   main.tf.json   variables, resources, data sources, outputs, required_providers
//   assets/        the processor's zip, made at synth (same bytes on every machine)
//   modules/derivatives/  the opt-in derivatives part, a child module counted in by `derivatives`
//   README.md      generated inputs and outputs tables (docs/terraform-module.md)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, appDir, buildApp, buildDerivatives, buildFunction } from "./build.mjs";
import { moduleReadme } from "./module-readme.mjs";

const require = createRequire(import.meta.url);
const { FRAMEWORKS, frameworkFrom } = require("./frameworks.cjs");

export const MODULE_DIR = join(ROOT, "dist", "terraform-module");
const STACK = "terraform-module";
const DERIVATIVES_STACK = "derivatives-module";

/**
 * Synthesizes the module stack into `target` with the app of `framework` (cdktf or cdktn: the module
 * is the same either way). `build: false` reuses the bundle and app built moments ago.
 */
export async function packageModule(target = MODULE_DIR, { build = true, framework = frameworkFrom() } = {}) {
  process.env.CHECKPOINT_DISABLE ??= "1";
  if (build) await Promise.all([buildFunction(), buildDerivatives(), buildApp({ framework })]);
  const built = appDir(framework);
  const { App } = require(FRAMEWORKS[framework].core);
  const { ImageProcessingModuleStack, DERIVATIVES_MODULE_SOURCE } = require(join(built, "constructs", "shipping", "module-stack.js"));
  const { PIPELINE_OUTPUTS } = require(join(built, "constructs", "interface", "pipeline-outputs.js"));
  const { DerivativesModuleStack } = require(join(built, "constructs", "shipping", "derivatives-module-stack.js"));

  const outdir = mkdtempSync(join(tmpdir(), "terraform-module-"));
  try {
    // No provider configuration in a child module: skip cdktf's "resources need a provider" check.
    const app = new App({ outdir, skipValidation: true });
    new ImageProcessingModuleStack(app, STACK);
    new DerivativesModuleStack(app, DERIVATIVES_STACK);
    app.synth();

    rmSync(target, { recursive: true, force: true });
    const module = writeModule(join(outdir, "stacks", STACK), target);
    writeModule(join(outdir, "stacks", DERIVATIVES_STACK), join(target, DERIVATIVES_MODULE_SOURCE));
    const readme = moduleReadme(module, PIPELINE_OUTPUTS);
    writeFileSync(join(target, "README.md"), readme);
    return { module, readme };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Lays out one synthesized stack as a module folder: main.tf.json and its assets. */
function writeModule(stackDir, target) {
  const module = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  // cdktf writes a local backend by default; a child module has none.
  delete module.terraform.backend;
  delete module["//"];
  cpSync(join(stackDir, "assets"), join(target, "assets"), { recursive: true });
  writeFileSync(join(target, "main.tf.json"), `${JSON.stringify(module, null, 2)}\n`);
  return module;
}

// node scripts/package-module.mjs [--out DIR] [--write-docs]
if (process.argv[1] === new URL(import.meta.url).pathname) {
  const args = process.argv.slice(2);
  const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : MODULE_DIR;
  const { readme } = await packageModule(out);
  if (args.includes("--write-docs")) writeFileSync(join(ROOT, "docs", "terraform-module.md"), readme);
  console.log(`Terraform module written to ${out}`);
}
