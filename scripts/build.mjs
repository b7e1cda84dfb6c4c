// Builds what synth needs, with esbuild (milliseconds, no type checking; `npm run typecheck` does that):
//   build/image-processor/  the Lambda bundle that the stack zips (minified, source maps, metafile)
//   .build/app/             the cdktf app and constructs, transpiled for `node`
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FUNCTION_DIR = join(ROOT, "build", "image-processor");
export const DERIVATIVES_DIR = join(ROOT, "build", "image-derivatives");
/**
 * Where synth keeps the functions' zips between processes (constructs/support/code-archive.ts reads
 * IMAGE_PIPELINE_ZIP_CACHE; a user's app keeps them in its node_modules/.cache): beside the bundles,
 * so the main job's zips serve every suite after it instead of each compressing libvips' 20 MB again.
 */
export const ZIP_CACHE_DIR = join(ROOT, "build", "code-archive-cache");
const DERIVATIVES_RUNTIME = join(ROOT, "functions", "image-derivatives", "runtime");
export const APP_DIR = join(ROOT, ".build", "app");
const { SOURCE_FRAMEWORK, frameworkFrom, rewriteImports } = createRequire(import.meta.url)("./frameworks.cjs");

const FUNCTION_INPUTS = join(ROOT, "build", "image-processor.inputs.json");
const DERIVATIVES_INPUTS = join(ROOT, "build", "image-derivatives.inputs.json");

/** A digest of everything a bundle is made from: the functions' sources, the locked dependencies, this script. */
function inputsDigest(extra = []) {
  const hash = createHash("sha256");
  const files = [...tsFiles("functions"), "package-lock.json", "tsconfig.json", join("scripts", "build.mjs"), ...extra].sort();
  for (const file of files)
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(join(ROOT, file)))
      .update("\0");
  return hash.digest("hex");
}

/** The previous build's metafile when its inputs have not changed. */
function cachedBuild(inputsFile, digest, output) {
  if (!existsSync(inputsFile) || !existsSync(output)) return undefined;
  const previous = JSON.parse(readFileSync(inputsFile, "utf8"));
  return previous.digest === digest ? { metafile: previous.metafile, cached: true } : undefined;
}

export const ESBUILD_OPTIONS = {
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
};

/**
 * The processor bundle. SDK clients are bundled (pinned) rather than taken from the runtime,
 * whose SDK changes under you. Skipped when its inputs have not changed since the last build
 * (the metafile of that build is returned), which halves the time of a synth.
 */
export async function buildFunction({ force = false } = {}) {
  const digest = inputsDigest();
  const cached = !force && cachedBuild(FUNCTION_INPUTS, digest, join(FUNCTION_DIR, "index.js"));
  if (cached) return cached;
  rmSync(FUNCTION_DIR, { recursive: true, force: true });
  const main = await build({
    ...ESBUILD_OPTIONS,
    entryPoints: [join(ROOT, "functions", "image-processor", "handler.ts")],
    outfile: join(FUNCTION_DIR, "index.js"),
    external: DEFERRED_MODULES.map((d) => d.module),
  });
  const deferred = await Promise.all(
    DEFERRED_MODULES.map((d) =>
      build({
        ...ESBUILD_OPTIONS,
        sourcemap: false,
        entryPoints: [requireFromRoot.resolve(d.module)],
        outfile: join(FUNCTION_DIR, d.file),
      }),
    ),
  );
  // One metafile for the zip's SBOM; the bundle's own output stays the one with an entry point listed first.
  const metafile = [main, ...deferred].reduce(
    (all, { metafile: m }) => ({ inputs: { ...all.inputs, ...m.inputs }, outputs: { ...all.outputs, ...m.outputs } }),
    { inputs: {}, outputs: {} },
  );
  writeFileSync(FUNCTION_INPUTS, JSON.stringify({ digest, metafile }));
  return { metafile };
}

/**
 * What the processor loads only when it first needs it (functions/shared/tracing.ts, core/exif.ts,
 * core/image-inspection.ts), each bundled on its own into the zip's node_modules, where the
 * bundle's `require` finds it: loading the bundle at cold start then neither runs nor parses them.
 * Without source maps: third-party code, whose frames an error report does not need mapped.
 */
export const DEFERRED_MODULES = [
  { module: "@aws-lambda-powertools/tracer", file: join("node_modules", "@aws-lambda-powertools", "tracer", "index.js") },
  { module: "image-size", file: join("node_modules", "image-size", "index.js") },
  { module: "exifr/dist/mini.umd.cjs", file: join("node_modules", "exifr", "dist", "mini.umd.cjs") },
];
const requireFromRoot = createRequire(join(ROOT, "package.json"));

/**
 * The derivatives function: its bundle, with sharp left out (a native addon esbuild cannot
 * bundle), beside a node_modules holding sharp and its prebuilt libvips for linux-arm64,
 * installed by `npm ci` from functions/image-derivatives/runtime's lock file. Every file comes
 * from a locked tarball, so the asset is the same on every machine.
 */
export async function buildDerivatives({ force = false } = {}) {
  const lock = join("functions", "image-derivatives", "runtime", "package-lock.json");
  const digest = inputsDigest([lock, join("functions", "image-derivatives", "runtime", "package.json")]);
  const cached = !force && cachedBuild(DERIVATIVES_INPUTS, digest, join(DERIVATIVES_DIR, "index.js"));
  if (cached) return cached;
  rmSync(DERIVATIVES_DIR, { recursive: true, force: true });
  const result = await build({
    ...ESBUILD_OPTIONS,
    entryPoints: [join(ROOT, "functions", "image-derivatives", "handler.ts")],
    outfile: join(DERIVATIVES_DIR, "index.js"),
    external: ["sharp"],
  });
  const staging = join(ROOT, "build", "image-derivatives-runtime");
  rmSync(staging, { recursive: true, force: true });
  cpSync(join(DERIVATIVES_RUNTIME, "package.json"), join(staging, "package.json"));
  cpSync(join(DERIVATIVES_RUNTIME, "package-lock.json"), join(staging, "package-lock.json"));
  execFileSync(
    "npm",
    ["ci", "--os=linux", "--cpu=arm64", "--libc=glibc", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
    // Without the npm_config_* of an npm that runs this script (`npm pack --dry-run` would make it a dry run too).
    {
      cwd: staging,
      stdio: ["ignore", "ignore", "inherit"],
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name))),
    },
  );
  // npm's own record of the install and its command links hold nothing the function needs.
  rmSync(join(staging, "node_modules", ".package-lock.json"), { force: true });
  rmSync(join(staging, "node_modules", ".bin"), { recursive: true, force: true });
  pruneRuntime(join(staging, "node_modules"));
  cpSync(join(staging, "node_modules"), join(DERIVATIVES_DIR, "node_modules"), { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  writeFileSync(DERIVATIVES_INPUTS, JSON.stringify({ digest, metafile: result.metafile }));
  return result;
}

/**
 * Leaves out of the derivatives runtime what the function never loads: sharp's C++ sources and
 * build-from-source script, type declarations, and the ES-module copies (the bundle require()s
 * sharp, which its exports map answers with dist/*.cjs). Licences and package.json files stay.
 */
function pruneRuntime(modules) {
  const sharp = join(modules, "sharp");
  for (const folder of ["src", "install", "lib"]) rmSync(join(sharp, folder), { recursive: true, force: true });
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.d\.(c|m)?ts$/.test(entry.name) || (dir === join(sharp, "dist") && entry.name.endsWith(".mjs"))) rmSync(path);
    }
  };
  visit(modules);
}

const tsFiles = (dir) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")
        ? [join(dir, entry.name)]
        : [],
  );

/** The functions' files the constructs import (their settings and limits), beside which the app is built. */
export const APP_FUNCTION_SOURCES = [
  "functions/image-processor/environment.ts",
  "functions/image-derivatives/environment.ts",
  "functions/image-derivatives/core/renditions.ts",
  // What those import from the code both functions share.
  "functions/shared/limits.ts",
  "functions/shared/derivative-request.ts",
];

const APP_ENTRY_POINTS = () => ["main.ts", ...tsFiles("constructs"), ...APP_FUNCTION_SOURCES];

/** Where the app of a flavor is built: .build/app for cdktf (the sources' own), .build/app-cdktn beside it. */
export const appDir = (framework = SOURCE_FRAMEWORK) => (framework === SOURCE_FRAMEWORK ? APP_DIR : `${APP_DIR}-${framework}`);

/**
 * The app and the constructs, transpiled file by file (not bundled) so node resolves the providers'
 * deep imports, for the framework named (the module names rewritten for cdktn: scripts/frameworks.cjs).
 * Skipped when its inputs are unchanged; otherwise built beside its folder and swapped in, so a synth
 * running in another process (the deploy suite's files run side by side) never finds the folder half
 * written or gone.
 */
export async function buildApp({ force = false, framework = frameworkFrom() } = {}) {
  const dir = appDir(framework);
  const inputs = `${dir}.inputs.json`;
  const digest = inputsDigest(tsFiles("constructs").concat("main.ts", join("scripts", "frameworks.cjs")));
  if (!force && existsSync(join(dir, "main.js")) && existsSync(inputs) && JSON.parse(readFileSync(inputs, "utf8")).digest === digest)
    return { cached: true };
  const staging = `${dir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    entryPoints: APP_ENTRY_POINTS().map((file) => join(ROOT, file)),
    outdir: staging,
    outbase: ROOT,
    bundle: false,
    write: false,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "warning",
  });
  for (const { path, text } of result.outputFiles) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, rewriteImports(text, framework));
  }
  swapIn(staging, dir);
  writeFileSync(inputs, JSON.stringify({ digest }));
  return { cached: false };
}

/**
 * Puts the folder `staging` in the place of `dir` by two renames, so a process reading `dir` meanwhile
 * finds the old tree or the new one, never one half written (and is gone only between the renames).
 */
export function swapIn(staging, dir) {
  const previous = `${dir}.previous.${process.pid}`;
  if (existsSync(dir)) renameSync(dir, previous);
  renameSync(staging, dir);
  rmSync(previous, { recursive: true, force: true });
}

/** Largest inputs of the processor bundle, from the esbuild metafile. */
export function bundleSummary(metafile, top = 5) {
  const [output] = Object.entries(metafile.outputs)
    .filter(([file, o]) => o.entryPoint && !file.includes("node_modules/"))
    .map(([, o]) => o);
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
  if (what === "derivatives" || what === "all") {
    const { metafile } = await buildDerivatives();
    console.log(
      `build/image-derivatives/index.js: ${(bundleSummary(metafile).bytes / 1024).toFixed(0)} KiB, with sharp for linux-arm64 in node_modules`,
    );
  }
  if (what === "app" || what === "all") await buildApp();
  if (what === "app-cdktn") await buildApp({ framework: "cdktn" });
}
