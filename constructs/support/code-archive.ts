import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { App, AssetType, TerraformAsset } from "cdktf";
import { zipSync, type Zippable } from "fflate";
import { packageRoot } from "./code-dir";

/** Any fixed instant: zip entries carry a timestamp, and a varying one would change the code hash. */
const FIXED_MTIME = new Date("1980-01-02T00:00:00Z");
/** Regular file, rw-r--r--, in the high 16 bits of the entry's external attributes (made on Unix). */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;

export interface CodeArchiveProps {
  /** Folder to zip; every file under it goes into the archive, paths relative to it. */
  readonly sourceDir: string;
  /** File name of the archive in the stack's assets. */
  readonly fileName: string;
}

/**
 * A folder zipped at synth time into the stack's assets, byte-for-byte the same on every
 * machine (sorted entries, fixed timestamps and modes).
 *
 * Zipping at synth rather than with the `archive_file` data source keeps the zip inside the
 * configuration: a plan saved in one job applies in another clean job, which a data source
 * that writes its file at plan time cannot do (hashicorp/terraform-provider-archive#39, #364),
 * and the code hash is a literal a reviewer sees in the plan.
 */
export class CodeArchive extends Construct {
  /** Path of the zip relative to the module root; prefix it with `${path.module}/` in arguments. */
  readonly path: string;
  /** Base64 SHA-256 of the zip, the form Lambda's `source_code_hash` takes. */
  readonly base64Sha256: string;

  constructor(scope: Construct, id: string, props: CodeArchiveProps) {
    super(scope, id);
    // An app without node_modules (its dependencies elsewhere) keeps the zips beside what it synthesizes.
    const cache = zipCacheDir() ?? path.resolve(App.of(this).outdir, ".cache", PACKAGE_NAME);
    const zip = deterministicZip(props.sourceDir, cache);
    const digest = createHash("sha256").update(zip).digest();
    this.base64Sha256 = digest.toString("base64");
    // The asset's source, under a content-addressed folder so concurrent synths never share a file;
    // cdktf copies it into the stack's assets, by its content's hash and file name only.
    const staged = path.join(cache, "assets", digest.toString("hex").slice(0, 16), props.fileName);
    if (!fs.existsSync(staged)) {
      fs.mkdirSync(path.dirname(staged), { recursive: true });
      fs.writeFileSync(`${staged}.${process.pid}`, zip);
      fs.renameSync(`${staged}.${process.pid}`, staged);
    }
    this.path = new TerraformAsset(this, "Asset", { path: staged, type: AssetType.FILE }).path;
  }
}

/** Zips of this process, by folder and its files' sizes and times: every stack of an app zips the same bundle. */
const zips = new Map<string, Uint8Array>();

/** This package's name (its cdktn build's differs): the name of its folder of caches. */
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")).name;

/**
 * Where zips are kept between processes, never the system's temporary folder (every synth would
 * leave megabytes there): IMAGE_PIPELINE_ZIP_CACHE when set (this repository's scripts and tests
 * use a build folder); else where the ecosystem keeps caches (find-cache-dir's rule), the
 * `node_modules/.cache/<package name>` of the app, the nearest folder from `cwd` up that holds a
 * package.json, when it has a node_modules; else none.
 */
export function zipCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.IMAGE_PIPELINE_ZIP_CACHE) return path.resolve(cwd, env.IMAGE_PIPELINE_ZIP_CACHE);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) {
      return fs.existsSync(path.join(dir, "node_modules")) ? path.join(dir, "node_modules", ".cache", PACKAGE_NAME) : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The zipper's version, part of a cached zip's key. */
const FFLATE_VERSION: string = require("fflate/package.json").version;

/** Bump when the zip's layout changes (entries, attributes, level), so no older cached zip is reused. */
const ZIP_FORMAT = "1";

/**
 * Zips every file under `dir` (sorted, fixed mtime and mode). Compressing a large folder takes
 * seconds (the derivatives function's 20 MB of libvips), so a zip is also kept between processes
 * in `cacheDir` (none: in this process only), under the digest of everything it is made from: the
 * same files give the same bytes anyway.
 */
export function deterministicZip(dir: string, cacheDir: string | undefined = zipCacheDir()): Uint8Array {
  if (!fs.existsSync(dir)) {
    // The npm package ships each bundled folder as the zip this function made of it when it was packed
    // (scripts/pack.mjs): 9.5 MB on a consumer's disk instead of 23 MB, and the same bytes, so the same code hash.
    const shipped = shippedZipOf(dir);
    if (fs.existsSync(shipped)) return fs.readFileSync(shipped);
    throw new Error(`code folder ${dir} does not exist: build the functions first (npm run build:function)`);
  }
  const files = filesUnder(dir);
  const key = [
    path.resolve(dir),
    ...files.map((file) => {
      const stat = fs.statSync(path.join(dir, file));
      return `${file}:${stat.size}:${stat.mtimeMs}`;
    }),
  ].join("\0");
  const cached = zips.get(key);
  if (cached) return cached;
  if (files.length === 0) throw new Error(`code folder ${dir} is empty`);
  const contents = files.map((file) => fs.readFileSync(path.join(dir, file)));
  // The zipper's version too: a cache that outlives an upgrade must not hand back the old one's bytes.
  const inputs = createHash("sha256").update(ZIP_FORMAT).update("\0").update(FFLATE_VERSION).update("\0");
  for (const [i, file] of files.entries()) inputs.update(file).update("\0").update(contents[i]).update("\0");
  const stored = cacheDir === undefined ? undefined : path.join(cacheDir, `${inputs.digest("hex")}.zip`);
  let zip: Uint8Array;
  if (stored !== undefined && fs.existsSync(stored)) zip = fs.readFileSync(stored);
  else {
    const entries: Zippable = {};
    for (const [i, file] of files.entries()) entries[file] = [contents[i], { mtime: FIXED_MTIME, os: 3, attrs: FILE_ATTRIBUTES }];
    zip = zipSync(entries, { level: 9 });
    if (stored !== undefined) {
      fs.mkdirSync(path.dirname(stored), { recursive: true });
      fs.writeFileSync(`${stored}.${process.pid}`, zip);
      fs.renameSync(`${stored}.${process.pid}`, stored);
    }
  }
  zips.set(key, zip);
  return zip;
}

/** Where the npm package keeps a bundled folder's zip: beside where the folder would be, named for it. */
export const shippedZipOf = (dir: string): string => `${path.resolve(dir)}.zip`;

function filesUnder(dir: string, prefix = ""): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(dir, relative) : [relative];
    });
}
