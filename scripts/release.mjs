// `npm run release`: the Terraform module as its consumers take it, with nothing but `terraform`:
//   dist/release/terraform-aws-image-processing/           the module in Terraform's standard structure
//   dist/release/terraform-aws-image-processing-<v>.tgz    that tree, byte-for-byte the same on every run
//   dist/release/SHA256SUMS                                 the archive, each function zip and its SBOM
//   dist/release/git/                                       a repository holding only that tree, tag v<v>, on
//                                                           top of the previous release's (--previous REPO)
// The module is HCL laid out by concern as npm run synth writes it (scripts/hcl/), what consumers read.
// `npm run release -- --cut <version>` first cuts the release: CHANGELOG, version, docs, releases.json.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { ROOT } from "./build.mjs";
import { licenseText } from "./license.mjs";
import { packageModule } from "./package-module.mjs";

/** The release's decisions (scripts/release-cut.cjs). */
const cut = createRequire(import.meta.url)("./release-cut.cjs");

export const NAME = cut.MODULE;
export const RELEASE_DIR = join(ROOT, "dist", "release");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** The Terraform examples (not the cdktf app beside them), pointed at the module root they ship in instead of a local build. */
function copyExamples(target) {
  for (const example of readdirSync(join(ROOT, "examples")).filter((name) => existsSync(join(ROOT, "examples", name, "main.tf")))) {
    const to = join(target, "examples", example);
    cpSync(join(ROOT, "examples", example), to, { recursive: true });
    for (const file of readdirSync(to).filter((f) => f.endsWith(".tf") || f.endsWith(".md"))) {
      const text = readFileSync(join(to, file), "utf8")
        .replaceAll('"../../dist/terraform-module"', '"../../"')
        .replace(/^# Build the module first.*\n/m, "");
      writeFileSync(join(to, file), text);
    }
  }
}

/** Files under `dir`, sorted, relative to it. */
export function filesUnder(dir, prefix = "") {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)]));
}

/** A CycloneDX SBOM of each function zip, beside it: what esbuild bundled (its metafile) and, for derivatives, sharp's runtime lockfile. */
function writeSboms(moduleDir, version) {
  const zips = filesUnder(moduleDir).filter((file) => file.endsWith(".zip"));
  const sboms = [];
  for (const zip of zips) {
    const fn = basename(zip, ".zip");
    const { metafile } = JSON.parse(readFileSync(join(ROOT, "build", `${fn}.inputs.json`), "utf8"));
    const work = mkdtempSync(join(tmpdir(), "sbom-"));
    try {
      writeFileSync(join(work, "metafile.json"), JSON.stringify(metafile));
      const out = join(work, "bom.json");
      execFileSync(
        join(ROOT, "node_modules", ".bin", "cyclonedx-esbuild"),
        ["--output-reproducible", "--sv", "1.6", "--mc-type", "application", "-o", out, join(work, "metafile.json")],
        {
          cwd: ROOT,
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      const bom = JSON.parse(readFileSync(out, "utf8"));
      bom.metadata.component = { ...bom.metadata.component, name: fn, "bom-ref": `${fn}@${version}`, purl: undefined };
      const runtimeLock = join(ROOT, "functions", fn, "runtime", "package-lock.json");
      if (existsSync(runtimeLock))
        bom.components = [...(bom.components ?? []), ...runtimeComponents(runtimeLock, packagesInZip(join(moduleDir, zip)))];
      const sbom = `${zip}.cdx.json`;
      writeFileSync(join(moduleDir, sbom), `${JSON.stringify(bom, null, 2)}\n`);
      sboms.push(sbom);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return { zips, sboms };
}

/**
 * The package folders a zip holds (`node_modules/sharp`, `node_modules/@img/colour`): those with a
 * package.json of their own. What is in the zip, not what the lockfile could install (its optional
 * packages for other platforms, and ones npm left out such as `@img/sharp-wasm32`).
 */
export function packagesInZip(zipFile) {
  const found = new Set();
  unzipSync(readFileSync(zipFile), {
    filter: (file) => {
      const match = /^((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)*node_modules\/(?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(file.name);
      if (match) found.add(match[1]);
      return false;
    },
  });
  return found;
}

/** The packages of a runtime folder's lockfile that the zip holds (installed beside the bundle, not bundled), as CycloneDX components. */
function runtimeComponents(lockFile, inZip) {
  const lock = JSON.parse(readFileSync(lockFile, "utf8"));
  return Object.entries(lock.packages)
    .filter(([path]) => inZip.has(path))
    .map(([path, entry]) => {
      const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
      const [algorithm, digest] = (entry.integrity ?? "").split("-");
      return {
        type: "library",
        "bom-ref": `runtime:${name}@${entry.version}`,
        name,
        version: entry.version,
        purl: `pkg:npm/${name.replace("@", "%40")}@${entry.version}`,
        ...(entry.license && { licenses: [{ expression: entry.license }] }),
        ...(algorithm === "sha512" && { hashes: [{ alg: "SHA-512", content: Buffer.from(digest, "base64").toString("hex") }] }),
        properties: [{ name: "cdx:npm:package:path", value: path }],
      };
    });
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/**
 * A gzipped tar of the files of `dir` at its root (so the archive's URL is a module source as it
 * is), the same bytes on every run (sorted, fixed times and owners, no gzip timestamp).
 */
function deterministicTarball(dir, out) {
  const tar = execFileSync(
    "tar",
    ["--sort=name", "--mtime=@315532800", "--owner=0", "--group=0", "--numeric-owner", "--mode=u+rw,go=rX", "-C", dir, "-cf", "-", "."],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  writeFileSync(out, execFileSync("gzip", ["-9", "-n"], { input: tar, maxBuffer: 256 * 1024 * 1024 }));
}

/**
 * The previous release's history (`main` and its tags), fetched from `source` (a path, URL or bundle
 * of the module's repository, as `git fetch` takes them) into a bare repository of its own, before
 * anything is written: `source` may be the `git/` of the `out` this release replaces.
 */
function fetchPrevious(source, version, env) {
  const from = existsSync(source) ? resolve(source) : source;
  const dir = mkdtempSync(join(tmpdir(), "release-previous-"));
  const git = (...args) => execFileSync("git", args, { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  git("init", "-q", "--bare");
  try {
    git("fetch", "-q", "--no-write-fetch-head", from, "+refs/heads/main:refs/heads/main", "+refs/tags/*:refs/tags/*");
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `--previous ${source}: no release repository with a main branch there (${String(error.stderr ?? error.message).trim()})`,
    );
  }
  if (git("tag", "--list", `v${version}`).trim()) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`--previous ${source} has released v${version} already: give package.json the next version`);
  }
  return dir;
}

/** Fixed author, committer and dates: the same tree on the same history is the same commit on every run. */
const RELEASE_GIT_ENV = {
  GIT_AUTHOR_NAME: "release",
  GIT_AUTHOR_EMAIL: "release@localhost",
  GIT_COMMITTER_NAME: "release",
  GIT_COMMITTER_EMAIL: "release@localhost",
  GIT_AUTHOR_DATE: "1980-01-02T00:00:00Z",
  GIT_COMMITTER_DATE: "1980-01-02T00:00:00Z",
};

/**
 * A repository holding only the released tree, tagged v<version>: for `git::` sources. Its `main` is
 * the previous release's `main` (a bare repository from fetchPrevious) plus one commit of this tree,
 * so the module's repository fast-forwards from release to release; without one, the first
 * release's root commit.
 */
function releaseRepository(moduleDir, repo, version, previous) {
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const env = { ...process.env, ...RELEASE_GIT_ENV };
  const git = (...args) => execFileSync("git", args, { cwd: repo, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  git("init", "-q", "-b", "main");
  if (previous) {
    git(
      "fetch",
      "-q",
      "--no-write-fetch-head",
      "--update-head-ok",
      previous,
      "+refs/heads/main:refs/heads/main",
      "+refs/tags/*:refs/tags/*",
    );
    // The index starts from the previous tree and `add -A` below records every difference,
    // a file this release no longer ships included.
    git("read-tree", "main");
  }
  cpSync(moduleDir, repo, { recursive: true });
  git("add", "-A");
  git("commit", "-q", "--no-gpg-sign", "-m", `${NAME} ${version}`);
  git("tag", "-a", `v${version}`, "-m", `v${version}`);
  return git("rev-parse", "HEAD").trim();
}

/**
 * Writes the release into `out` (dist/release by default) and returns what it wrote. `version`
 * defaults to package.json's; `previous` is the previous release's repository (see releaseRepository).
 */
export async function release(out = RELEASE_DIR, { version = pkg.version, previous } = {}) {
  const moduleDir = join(out, NAME);
  const history = previous && fetchPrevious(previous, version, { ...process.env, ...RELEASE_GIT_ENV });
  try {
    return await releaseInto(out, moduleDir, version, history);
  } finally {
    if (history) rmSync(history, { recursive: true, force: true });
  }
}

async function releaseInto(out, moduleDir, version, history) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await packageModule(moduleDir);
  copyExamples(moduleDir);
  cpSync(join(ROOT, "__tests__", "terraform-module"), join(moduleDir, "tests"), { recursive: true });
  writeFileSync(join(moduleDir, "LICENSE"), licenseText(pkg.license));
  writeFileSync(join(moduleDir, "CHANGELOG.md"), cut.releasedChangelog(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8"), version));
  const { zips, sboms } = writeSboms(moduleDir, version);

  const archive = `${NAME}-${version}.tgz`;
  deterministicTarball(moduleDir, join(out, archive));
  const sums = [archive, ...[...zips, ...sboms].sort().map((file) => join(NAME, file))]
    .map((file) => `${sha256(join(out, file))}  ${file}`)
    .join("\n");
  writeFileSync(join(out, "SHA256SUMS"), `${sums}\n`);
  const commit = releaseRepository(moduleDir, join(out, "git"), version, history);
  return { version, moduleDir, archive: join(out, archive), repository: join(out, "git"), tag: `v${version}`, commit };
}

/**
 * `--cut <version>`: the CHANGELOG's Unreleased section named for the version, package.json and the
 * docs set to it, committed; the release written from that commit; and the commit recorded in
 * releases.json (committed too), where the upgrade test finds it.
 */
async function cutRelease(version, { out, previous, date }) {
  const git = (...args) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const edit = (file, change) => writeFileSync(join(ROOT, file), change(readFileSync(join(ROOT, file), "utf8")));
  const record = JSON.parse(readFileSync(join(ROOT, "releases.json"), "utf8"));
  cut.assertReleasable(record, version); // before anything is written
  edit("CHANGELOG.md", (text) => cut.cutChangelog(text, version, date));
  for (const file of ["package.json", "package-lock.json"])
    edit(file, (text) => {
      const json = JSON.parse(text);
      json.version = version;
      if (json.packages?.[""]) json.packages[""].version = version;
      return `${JSON.stringify(json, null, 2)}\n`;
    });
  for (const file of cut.DOCS_SHOWING_THE_VERSION) edit(file, (text) => cut.showingVersion(text, version));
  // The example apps pin the package at the version they are tested with (the package suite checks it).
  for (const example of readdirSync(join(ROOT, "examples")).filter((name) => existsSync(join(ROOT, "examples", name, "package.json"))))
    edit(join("examples", example, "package.json"), (text) => cut.withDependencyVersion(text, pkg.name, version));
  git("commit", "-q", "-am", `Release ${version}`);
  const commit = git("rev-parse", "HEAD");
  const result = await release(out, { version, previous });
  writeFileSync(join(ROOT, "releases.json"), `${JSON.stringify(cut.recordRelease(record, { version, date, commit }), null, 2)}\n`);
  git("commit", "-q", "-m", `Record ${version} as released at ${commit.slice(0, 12)}`, "releases.json");
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).trim();
  if (dirty && process.env.RELEASE_ALLOW_DIRTY !== "1") {
    console.error(`npm run release writes from a clean tree; commit or stash first (or RELEASE_ALLOW_DIRTY=1 to try it out):\n${dirty}`);
    process.exit(1);
  }
  // --out DIR; --previous REPO (the last release's repository: path, URL or bundle); --version V (package.json's by default);
  const args = process.argv.slice(2);
  const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  // --cut V: cut release V (see cutRelease), from a clean tree only; --date YYYY-MM-DD (today by default)
  const cutVersion = option("--cut");
  if (cutVersion && dirty) {
    console.error("npm run release -- --cut commits the release: start from a clean tree");
    process.exit(1);
  }
  const out = option("--out") ?? RELEASE_DIR;
  const written = cutVersion
    ? cutRelease(cutVersion, { out, previous: option("--previous"), date: option("--date") ?? new Date().toISOString().slice(0, 10) })
    : release(out, { version: option("--version") ?? pkg.version, previous: option("--previous") });
  const result = await written.catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
  const size = (file) => `${(statSync(file).size / 1e6).toFixed(1)} MB`;
  console.log(`${NAME} ${result.version}:`);
  console.log(`  module      ${relative(ROOT, result.moduleDir) || result.moduleDir}`);
  console.log(`  archive     ${relative(ROOT, result.archive)} (${size(result.archive)}), SHA256SUMS beside it`);
  console.log(`  repository  ${relative(ROOT, result.repository)} (${result.tag} = ${result.commit.slice(0, 12)}), for git:: sources`);
  if (!option("--previous")) console.log("  (a first release: --previous <the module repository> puts it on top of the last one)");
}
