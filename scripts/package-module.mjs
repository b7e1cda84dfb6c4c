// `npm run package:module`: synthesizes the module stack and lays it out as a plain
// Terraform child module in dist/terraform-module/, in HCL as consumers read a module:
//   versions.tf, variables.tf, outputs.tf, moved.tf, and the resources by concern (scripts/hcl/layout.cjs)
//   assets/        the processor's zip, made at synth (same bytes on every machine)
//   modules/derivatives/  the opt-in derivatives part, a child module counted in by `derivatives`
//   README.md      generated inputs and outputs tables (docs/terraform-module.md)
// `--json` writes cdktf's JSON (main.tf.json) instead: the same module, which the package suite
// plans beside the HCL to prove them equal.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT, appDir, buildApp, buildDerivatives, buildFunction, swapIn } from "./build.mjs";
import { moduleReadme } from "./module-readme.mjs";

const require = createRequire(import.meta.url);
const { FRAMEWORKS, frameworkFrom } = require("./frameworks.cjs");
const { hclFiles } = require("./hcl/index.cjs");

export const MODULE_DIR = join(ROOT, "dist", "terraform-module");
const STACK = "terraform-module";
const DERIVATIVES_STACK = "derivatives-module";

/**
 * Synthesizes the module stack into `target` with the app of `framework` (cdktf or cdktn: the module
 * is the same either way). `build: false` reuses the bundle and app built moments ago; `json: true`
 * writes the synthesized JSON (main.tf.json) instead of its HCL.
 */
export async function packageModule(target = MODULE_DIR, { build = true, framework = frameworkFrom(), json = false } = {}) {
  const { outdir, PIPELINE_OUTPUTS, DERIVATIVES_MODULE_SOURCE } = await synthesize({ build, framework });
  try {
    // Laid out beside the target and swapped in only when it differs: other suites read
    // dist/terraform-module while the package suite packages it again.
    const staging = `${target}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const module = await writeModule(join(outdir, "stacks", STACK), staging, json);
    const derivatives = await writeModule(join(outdir, "stacks", DERIVATIVES_STACK), join(staging, DERIVATIVES_MODULE_SOURCE), json);
    const readme = moduleReadme(module, PIPELINE_OUTPUTS, committedDiagrams(), { [DERIVATIVES_MODULE_SOURCE]: derivatives });
    writeFileSync(join(staging, "README.md"), readme);
    if (sameTree(staging, target)) rmSync(staging, { recursive: true, force: true });
    else swapIn(staging, target);
    return { module, readme };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The module stack and its derivatives child synthesized into a temporary folder (the caller removes it). */
async function synthesize({ build, framework }) {
  process.env.CHECKPOINT_DISABLE ??= "1";
  if (build) await Promise.all([buildFunction(), buildDerivatives(), buildApp({ framework })]);
  const built = appDir(framework);
  const { App } = require(FRAMEWORKS[framework].core);
  const { ImageProcessingModuleStack, DERIVATIVES_MODULE_SOURCE } = require(join(built, "constructs", "shipping", "module-stack.js"));
  const { PIPELINE_OUTPUTS } = require(join(built, "constructs", "shipping", "pipeline-outputs.js"));
  const { DerivativesModuleStack } = require(join(built, "constructs", "shipping", "derivatives-module-stack.js"));

  const outdir = mkdtempSync(join(tmpdir(), "terraform-module-"));
  // No provider configuration in a child module: skip cdktf's "resources need a provider" check.
  const app = new App({ outdir, skipValidation: true });
  withoutEscapeWarnings(() => {
    new ImageProcessingModuleStack(app, STACK);
    new DerivativesModuleStack(app, DERIVATIVES_STACK);
    app.synth();
  });
  return { outdir, PIPELINE_OUTPUTS, DERIVATIVES_MODULE_SOURCE };
}

const ESCAPE_WARNING = "You're using escape sequences (${...}) with CDKTF Built-in functions.";

/**
 * Runs `work` with cdktf's warning about escape sequences in built-in functions left out, counted in
 * one line instead. The module's names hold its variables (`"${local.name_prefix}ImageProcessor-${var.environment}"`)
 * and its switches put them in `concat()` and conditionals, so cdktf prints the warning and the whole
 * expression for each of hundreds of them. What it renders is checked where it matters: `terraform
 * validate` and the module's own `terraform test` of the released tree, and the deploy suite's plans
 * of the HCL and the JSON module, which must agree.
 */
function withoutEscapeWarnings(work) {
  const warn = console.warn;
  let skipped = 0;
  let skipNext = false;
  console.warn = (...args) => {
    if (skipNext) skipNext = false;
    else if (String(args[0]).startsWith(ESCAPE_WARNING)) {
      skipped += 1;
      skipNext = true; // cdktf prints the expression next
    } else warn(...args);
  };
  try {
    work();
  } finally {
    console.warn = warn;
  }
  if (skipped > 0)
    console.log(
      `cdktf flagged ${skipped} module expressions that interpolate names in built-in functions (checked by terraform validate and test)`,
    );
}

/** The synthesized JSON of the module and of its derivatives child, as Terraform reads it (scripts/hcl/provider-blocks.mjs). */
export async function synthesizedModules({ build = true, framework = frameworkFrom() } = {}) {
  const { outdir } = await synthesize({ build, framework });
  try {
    return [STACK, DERIVATIVES_STACK].map((stack) =>
      childModule(JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"))),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The diagrams `npm run docs` committed (docs/diagrams/*.mmd, by file name), each titled by its
 * first line; the package suite checks the README against docs/terraform-module.md, and the unit
 * suite the diagrams against the configurations they are drawn from.
 */
function committedDiagrams() {
  const dir = join(ROOT, "docs", "diagrams");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".mmd"))
    .sort()
    .map((f) => {
      const mermaid = readFileSync(join(dir, f), "utf8");
      return { title: mermaid.match(/^%% (.*?)\. Generated by/)?.[1] ?? f, mermaid };
    });
}

/** Whether two folders hold the same files with the same bytes. */
function sameTree(a, b) {
  if (!existsSync(b)) return false;
  const files = (dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
      .sort();
  const [ours, theirs] = [files(a), files(b)];
  return (
    ours.length === theirs.length && ours.every((f, i) => f === theirs[i] && readFileSync(join(a, f)).equals(readFileSync(join(b, f))))
  );
}

/** A synthesized stack as a child module: cdktf writes a local backend by default, and its metadata. */
function childModule(stack) {
  delete stack.terraform.backend;
  delete stack["//"];
  return stack;
}

/** Lays out one synthesized stack as a module folder: its HCL files (or main.tf.json) and its assets. */
async function writeModule(stackDir, target, json) {
  const module = childModule(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
  cpSync(join(stackDir, "assets"), join(target, "assets"), { recursive: true });
  if (json) writeFileSync(join(target, "main.tf.json"), `${JSON.stringify(module, null, 2)}\n`);
  else for (const [file, text] of Object.entries(await hclFiles(module))) writeFileSync(join(target, file), text);
  return module;
}

// node scripts/package-module.mjs [--out DIR] [--write-docs] [--json]
if (process.argv[1] === new URL(import.meta.url).pathname) {
  const args = process.argv.slice(2);
  const out = args.includes("--out") ? args[args.indexOf("--out") + 1] : MODULE_DIR;
  const { readme } = await packageModule(out, { json: args.includes("--json") });
  if (args.includes("--write-docs")) writeFileSync(join(ROOT, "docs", "terraform-module.md"), readme);
  console.log(`Terraform module written to ${out}`);
}
