// `npm run pack`: the two npm packages, each laid out in a folder of its own and packed from there —
//   cdktf-image-processing  the construct library for CDK for Terraform, and the `image-pipeline` command
//   cdktn-image-processing  the same for CDK Terrain (cdktn): the compiled library with its module names
//                           rewritten (scripts/frameworks.cjs), its own peer dependencies
// Each ships the built library (lib/, `npm run build:lib`), the functions' bundles (`node scripts/build.mjs
// all`), docs and examples, with the manifest a consumer reads: no scripts (nothing runs at install) and
// no devDependencies. The repository's own package.json is private, so only these are published.
//   node scripts/pack.mjs [--pack-destination DIR]   writes DIR/<name>-<version>.tgz for both (default dist/npm)
//   node scripts/pack.mjs --stage                    only lays them out in build/npm-cdktf/ and build/npm-cdktn/
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./build.mjs";
import { filesUnder } from "./release.mjs";

const { FRAMEWORKS, SOURCE_FRAMEWORK, rewriteImports } = createRequire(import.meta.url)("./frameworks.cjs");

/** A module of the compiled library (lib/constructs), loaded when packing: it is built by then, not when this file is imported. */
const libraryRequire = (name) => createRequire(import.meta.url)(join(ROOT, "lib", "constructs", name));

/** The functions' bundled folders the package ships (each as its zip). */
const BUNDLES = ["build/image-processor", "build/image-derivatives"];

/** Where each flavor's package is laid out before `npm pack`. */
export const stagingDir = (framework) => join(ROOT, "build", `npm-${framework}`);

/** What only building this repository needs, which no consumer's manifest carries. */
function publishedManifest(pkg) {
  const { scripts: _scripts, devDependencies: _dev, private: _private, ...rest } = pkg;
  return {
    ...rest,
    files: rest.files.map((entry) => (BUNDLES.includes(entry.replace(/\/$/, "")) ? `${entry.replace(/\/$/, "")}.zip` : entry)),
  };
}

/** `framework`'s package manifest: this repository's as published, renamed for cdktn with cdktn's peers. */
export function manifestFor(framework, pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"))) {
  const published = publishedManifest(pkg);
  if (framework === SOURCE_FRAMEWORK) return published;
  const { packageName, peerDependencies } = FRAMEWORKS[framework];
  return {
    ...published,
    name: packageName,
    description: published.description.replace("CDK for Terraform constructs, a cdktf app", "CDK Terrain (cdktn) constructs"),
    peerDependencies,
    // @cdktn/provider-aws 25 asks for Node 22.11 or later (cdktn-cli for 22.19).
    engines: { ...published.engines, node: ">=22.11.0" },
    keywords: [...new Set(published.keywords.map((word) => (word === "cdktf" ? "cdktn" : word)).concat("cdk-terrain"))],
  };
}

/** Lays `framework`'s package out in its staging folder: the manifest, the library (renamed for cdktn) and every other file it ships. */
export function stagePackage(framework) {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  for (const needed of [
    "lib/constructs/index.js",
    "lib/cli/index.js",
    "build/image-processor/index.js",
    "build/image-derivatives/index.js",
  ]) {
    if (!existsSync(join(ROOT, needed)))
      throw new Error(`${needed} is missing: run \`npm run build:lib && node scripts/build.mjs all\` first`);
  }
  const staging = stagingDir(framework);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, "package.json"), `${JSON.stringify(manifestFor(framework, pkg), null, 2)}\n`);
  for (const entry of pkg.files) {
    const path = entry.replace(/\/$/, "");
    if (path === "lib") continue;
    // A function's bundle ships as the zip the constructs would make of it at synth: a consumer's disk holds
    // 9.5 MB instead of 23 MB (libvips for linux-arm64 is most of it), and the code hash is the same.
    if (BUNDLES.includes(path)) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, `${path}.zip`), libraryRequire("support/code-archive").deterministicZip(join(ROOT, path), undefined));
    } else cpSync(join(ROOT, path), join(staging, path), { recursive: true });
  }
  for (const file of filesUnder(join(ROOT, "lib"))) {
    const to = join(staging, "lib", file);
    mkdirSync(dirname(to), { recursive: true });
    const text = readFileSync(join(ROOT, "lib", file));
    writeFileSync(to, /\.(js|d\.ts)$/.test(file) ? rewriteImports(text.toString("utf8"), framework) : text);
  }
  // npm packs file modes as they are: the command stays executable.
  chmodSync(join(staging, pkg.bin["image-pipeline"]), 0o755);
  return staging;
}

/** Stages and packs `framework`'s package into `destination`; returns npm pack's record of it (filename, files, size). */
export function packPackage(framework, destination) {
  const staging = stagePackage(framework);
  mkdirSync(destination, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], { cwd: staging, encoding: "utf8" }),
  );
  return packed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes("--stage")) {
    for (const framework of Object.keys(FRAMEWORKS)) console.log(stagePackage(framework));
    process.exit(0);
  }
  const destination = args.includes("--pack-destination") ? args[args.indexOf("--pack-destination") + 1] : join(ROOT, "dist", "npm");
  for (const framework of Object.keys(FRAMEWORKS)) {
    const { filename, size } = packPackage(framework, destination);
    console.log(`${join(destination, filename)}: ${(size / 1e6).toFixed(1)} MB`);
  }
}
