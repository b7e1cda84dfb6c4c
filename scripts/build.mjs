// Builds what synth needs, with esbuild (milliseconds, no type checking; `npm run typecheck` does that):
//   build/image-processor/  the Lambda bundle that the stack zips (minified, source maps, metafile)
//   .build/app/             the cdktf app and constructs, transpiled for `node`
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FUNCTION_DIR = join(ROOT, "build", "image-processor");
export const APP_DIR = join(ROOT, ".build", "app");

const FUNCTION_INPUTS = join(ROOT, "build", "image-processor.inputs.json");

/** A digest of everything the bundle is made from: its sources, the locked dependencies, this script. */
function functionInputsDigest() {
  const hash = createHash("sha256");
  const files = [
    ...tsFiles(join("functions", "image-processor")),
    "package-lock.json",
    "tsconfig.json",
    join("scripts", "build.mjs"),
  ].sort();
  for (const file of files) hash.update(file).update("\0").update(readFileSync(join(ROOT, file))).update("\0");
  return hash.digest("hex");
}

/**
 * The processor bundle. SDK clients are bundled (pinned) rather than taken from the runtime,
 * whose SDK changes under you. Skipped when its inputs have not changed since the last build
 * (the metafile of that build is returned), which halves the time of a synth.
 */
export async function buildFunction({ force = false } = {}) {
  const digest = functionInputsDigest();
  if (!force && existsSync(FUNCTION_INPUTS) && existsSync(join(FUNCTION_DIR, "index.js"))) {
    const previous = JSON.parse(readFileSync(FUNCTION_INPUTS, "utf8"));
    if (previous.digest === digest) return { metafile: previous.metafile, cached: true };
  }
  rmSync(FUNCTION_DIR, { recursive: true, force: true });
  const result = await build({
    entryPoints: [join(ROOT, "functions", "image-processor", "handler.ts")],
    outfile: join(FUNCTION_DIR, "index.js"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    sourcemap: true,
    // Source paths in the map are relative to the bundle, so the zip is the same on every machine.
    sourceRoot: "",
    sourcesContent: false,
    metafile: true,
    legalComments: "none",
    mainFields: ["module", "main"],
    logLevel: "warning",
  });
  writeFileSync(FUNCTION_INPUTS, JSON.stringify({ digest, metafile: result.metafile }));
  return result;
}

const tsFiles = (dir) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")
        ? [join(dir, entry.name)]
        : [],
  );

/** The app and the constructs, transpiled file by file (not bundled) so node resolves the providers' deep imports. */
export async function buildApp() {
  rmSync(APP_DIR, { recursive: true, force: true });
  return build({
    entryPoints: ["main.ts", ...tsFiles("constructs"), "functions/image-processor/environment.ts"].map((file) =>
      join(ROOT, file),
    ),
    outdir: APP_DIR,
    outbase: ROOT,
    bundle: false,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
}

/** Largest inputs of the processor bundle, from the esbuild metafile. */
export function bundleSummary(metafile, top = 5) {
  const [output] = Object.values(metafile.outputs).filter((o) => o.entryPoint);
  const byPackage = new Map();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const name = match ? match[1] : relative(ROOT, file).split("/").slice(0, 2).join("/");
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return {
    bytes: output.bytes,
    largest: [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, top),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const what = process.argv[2] ?? "all";
  if (what === "function" || what === "all") {
    const { metafile } = await buildFunction();
    const { bytes, largest } = bundleSummary(metafile);
    console.log(`build/image-processor/index.js: ${(bytes / 1024).toFixed(0)} KiB; largest inputs:`);
    for (const [name, size] of largest) console.log(`  ${(size / 1024).toFixed(0).padStart(6)} KiB  ${name}`);
  }
  if (what === "app" || what === "all") await buildApp();
}
