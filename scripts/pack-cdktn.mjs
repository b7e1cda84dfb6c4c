// `npm run pack:cdktn`: the construct library for CDK Terrain, as its own npm package
// (cdktn-image-processing) with its own peer dependencies, built from the same sources as this one:
// the compiled library (lib/) with its module names rewritten for cdktn (scripts/frameworks.cjs),
// beside the same function bundles, docs and examples. Run after `npm run build:lib` and the
// functions' build (`npm pack` of this package runs both first, through prepack).
//   node scripts/pack-cdktn.mjs [--pack-destination DIR]   writes DIR/cdktn-image-processing-<version>.tgz
//   node scripts/pack-cdktn.mjs --stage                    only lays the package out in build/npm-cdktn/
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./build.mjs";
import { filesUnder } from "./release.mjs";

const { FRAMEWORKS, rewriteImports } = createRequire(import.meta.url)("./frameworks.cjs");
export const CDKTN_STAGING = join(ROOT, "build", "npm-cdktn");

/** The cdktn package's manifest: this package's, renamed, with cdktn's peers and without what only building this one needs. */
export function cdktnManifest(pkg) {
  const { scripts: _scripts, devDependencies: _dev, peerDependencies: _peers, ...rest } = pkg;
  const { packageName, peerDependencies } = FRAMEWORKS.cdktn;
  return {
    ...rest,
    name: packageName,
    description: rest.description.replace("CDK for Terraform constructs, a cdktf app", "CDK Terrain (cdktn) constructs"),
    peerDependencies,
    // @cdktn/provider-aws 25 asks for Node 22.11 or later (cdktn-cli for 22.19).
    engines: { ...rest.engines, node: ">=22.11.0" },
    keywords: [...new Set(rest.keywords.map((word) => (word === "cdktf" ? "cdktn" : word)).concat("cdk-terrain"))],
  };
}

/** Lays the cdktn package out in `staging`: the manifest, the rewritten library and every other file this package ships. */
export function stageCdktnPackage(staging = CDKTN_STAGING) {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  for (const needed of ["lib/constructs/index.js", "build/image-processor/index.js", "build/image-derivatives/index.js"]) {
    if (!existsSync(join(ROOT, needed)))
      throw new Error(`${needed} is missing: run \`npm run build:lib && node scripts/build.mjs all\` first`);
  }
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, "package.json"), `${JSON.stringify(cdktnManifest(pkg), null, 2)}\n`);
  for (const entry of pkg.files) {
    const path = entry.replace(/\/$/, "");
    if (path === "lib") continue;
    cpSync(join(ROOT, path), join(staging, path), { recursive: true });
  }
  for (const file of filesUnder(join(ROOT, "lib"))) {
    const to = join(staging, "lib", file);
    mkdirSync(dirname(to), { recursive: true });
    const text = readFileSync(join(ROOT, "lib", file));
    writeFileSync(to, /\.(js|d\.ts)$/.test(file) ? rewriteImports(text.toString("utf8"), "cdktn") : text);
  }
  // npm packs file modes as they are: the command stays executable.
  chmodSync(join(staging, pkg.bin["image-pipeline"]), 0o755);
  return staging;
}

/** Packs the staged package into `destination`; returns npm pack's record of it (filename, files, size). */
export function packCdktn(destination) {
  const staging = stageCdktnPackage();
  mkdirSync(destination, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], { cwd: staging, encoding: "utf8" }),
  );
  return packed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes("--stage")) {
    console.log(stageCdktnPackage());
    process.exit(0);
  }
  const destination = args.includes("--pack-destination") ? args[args.indexOf("--pack-destination") + 1] : join(ROOT, "dist", "npm");
  const { filename, size } = packCdktn(destination);
  console.log(`${join(destination, filename)}: ${(size / 1e6).toFixed(1)} MB`);
}
