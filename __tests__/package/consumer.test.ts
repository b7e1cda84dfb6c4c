import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  CDKTN_PACKAGE,
  FRAMEWORKS,
  type Flavor,
  ROOT,
  consumerApp,
  flavor as flavorOf,
  flavors,
  imagePipeline,
  packageDir,
  pkg,
} from "../helpers/package-flavors";
import { unzipSync } from "fflate";
import { deterministicZip } from "../../constructs/support/code-archive";

/** What `npm pack` would pack from `dir` (once per folder and run). */
const packs = new Map<string, any>();
const dryRunPack = (dir: string) => {
  if (!packs.has(dir))
    packs.set(dir, JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8" }))[0]);
  return packs.get(dir);
};

/** Every .js and .d.ts file of a package's lib/ that loads `name` or a path inside it. */
const filesLoading = (packageDir: string, name: string): string[] => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  const loads = new RegExp(`(require\\(|from |import\\()["']${name.replace("/", "\\/")}(/[^"']*)?["']`);
  return walk(join(packageDir, "lib")).filter((file) => /\.(js|d\.ts)$/.test(file) && loads.test(readFileSync(file, "utf8")));
};

describe.each(["cdktf", "cdktn"] as const)("the construct library on %s, imported the way a consumer does", (framework) => {
  const work = mkdtempSync(join(tmpdir(), `consumer-${framework}-`));
  let stack: any;
  let flavor: Flavor;

  beforeAll(() => {
    flavor = flavorOf(framework);
    // The consumer's node_modules: this package (its built output) and its peer dependencies.
    const modules = join(work, "node_modules");
    const { core, providerAws } = FRAMEWORKS[framework];
    for (const dep of [flavor.manifest.name, core, "constructs", providerAws, "fflate"]) {
      mkdirSync(dirname(join(modules, dep)), { recursive: true });
      symlinkSync(dep === flavor.manifest.name ? flavor.packageDir : join(ROOT, "node_modules", dep), join(modules, dep), "dir");
    }
    writeFileSync(join(work, "main.js"), consumerApp(flavor));
    execFileSync(process.execPath, ["main.js", join(work, "out")], { cwd: work, stdio: "pipe" });
    stack = JSON.parse(readFileSync(join(work, "out", "stacks", "consumer", "cdk.tf.json"), "utf8"));
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("resolves to the compiled JavaScript with type declarations", () => {
    expect(flavor.manifest.exports["."]).toEqual({ types: "./lib/constructs/index.d.ts", default: "./lib/constructs/index.js" });
    expect(existsSync(join(flavor.packageDir, "lib", "constructs", "index.js"))).toBe(true);
    expect(readFileSync(join(flavor.packageDir, "lib", "constructs", "index.d.ts"), "utf8")).toContain(
      'export { ImageProcessingPipeline } from "./image-processing-pipeline"',
    );
  });

  it("was synthesized by the consumer's framework", () => {
    expect(stack["//"].metadata.version).toBe(
      JSON.parse(readFileSync(join(ROOT, "node_modules", FRAMEWORKS[framework].core, "package.json"), "utf8")).version,
    );
  });

  it("puts two pipelines and a stand-alone part in one stack without a name clash", () => {
    const names = (type: string, attribute: string) =>
      Object.values(stack.resource[type])
        .map((resource: any) => resource[attribute])
        .sort();

    expect(names("aws_lambda_function", "function_name")).toEqual(["ImageProcessor-blue", "ImageProcessor-green"]);
    expect(names("aws_dynamodb_table", "name")).toEqual(["Catalogue", "ImageMetadata-blue", "ImageMetadata-green"]);
    expect(names("aws_sqs_queue", "name")).toEqual(["ImageProcessor-DLQ-blue", "ImageProcessor-DLQ-green"]);
    expect(names("aws_iam_role", "name")).toEqual(["ImageProcessor-blue", "ImageProcessor-green"]);
    expect(names("aws_cloudwatch_dashboard", "dashboard_name")).toEqual(["ImageProcessing-blue", "ImageProcessing-green"]);
    expect(names("aws_lambda_function", "filename").every((file: string) => file.endsWith("/image-processor.zip"))).toBe(true);
  });
});

describe("the cdktn package (scripts/pack.mjs)", () => {
  it("loads cdktn and its provider wherever the cdktf package loads cdktf's, and never cdktf", () => {
    const cdktfLoaders = (name: string) =>
      filesLoading(packageDir("cdktf"), name)
        .map((file) => file.slice(packageDir("cdktf").length))
        .sort();
    const cdktnLoaders = (name: string) =>
      filesLoading(CDKTN_PACKAGE, name)
        .map((file) => file.slice(CDKTN_PACKAGE.length))
        .sort();

    expect(cdktfLoaders("cdktf").length).toBeGreaterThan(10);
    expect(cdktnLoaders("cdktn")).toEqual(cdktfLoaders("cdktf"));
    expect(cdktnLoaders("@cdktn/provider-aws")).toEqual(cdktfLoaders("@cdktf/provider-aws"));
    expect(cdktnLoaders("cdktf")).toEqual([]);
    expect(cdktnLoaders("@cdktf/provider-aws")).toEqual([]);
  });

  it("has peer dependencies of its own, within cdktn's range for constructs, and no framework as a dependency", () => {
    const { manifest } = flavors()[1];
    const cdktnPeers = JSON.parse(readFileSync(join(ROOT, "node_modules", "cdktn", "package.json"), "utf8")).peerDependencies;

    expect(manifest.name).toBe("cdktn-image-processing");
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.peerDependencies).toEqual(FRAMEWORKS.cdktn.peerDependencies);
    expect(manifest.peerDependencies.constructs).toBe(cdktnPeers.constructs);
    expect(manifest.dependencies).toEqual(pkg.dependencies);
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.scripts).toBeUndefined();
  });

  it("ships the same files as the cdktf package", () => {
    const paths = (dir: string) =>
      dryRunPack(dir)
        .files.map((file: { path: string }) => file.path)
        .sort();

    expect(paths(CDKTN_PACKAGE)).toEqual(paths(packageDir("cdktf")));
  });
});

/** What scripts/build-library.mjs leaves out of the command's bundle (read from it: an ES module). */
const CLI_EXTERNALS: string[] = JSON.parse(
  execFileSync(
    process.execPath,
    ["--input-type=module", "-e", 'const m = await import("./scripts/build-library.mjs"); console.log(JSON.stringify(m.CLI_EXTERNALS))'],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  ),
);

describe("the npm package", () => {
  const packed = dryRunPack(packageDir("cdktf"));
  const paths: string[] = packed.files.map((file: { path: string }) => file.path);

  it("ships the library, the processor bundle, its licence, docs and examples, but not the Terraform module (a release of its own)", () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "lib/constructs/index.js",
        "lib/constructs/index.d.ts",
        "build/image-processor.zip",
        "docs/terraform-module.md",
        "examples/basic/main.tf",
        "examples/two-instances/main.tf",
        "lib/cli/index.js",
        "README.md",
        "CHANGELOG.md",
      ]),
    );
    expect(paths.filter((path) => path.startsWith("dist/"))).toEqual([]);
  });

  it("ships each function's bundle once, as the zip the constructs deploy (the derivatives runtime for linux-arm64 inside), source maps only where error reports use them", () => {
    // Arrange: what each shipped zip holds, and the zip the repository's own synth makes of the same folder
    const entries = (zip: string) => Object.keys(unzipSync(readFileSync(join(packageDir("cdktf"), "build", zip)))).sort();
    const repositoryZip = deterministicZip(join(ROOT, "build", "image-derivatives"), undefined);

    // Assert
    expect(paths.filter((path) => path.startsWith("build/")).sort()).toEqual(["build/image-derivatives.zip", "build/image-processor.zip"]);
    expect(entries("image-derivatives.zip")).toEqual(
      expect.arrayContaining(["index.js", "node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64-0.35.5.node"]),
    );
    expect(entries("image-derivatives.zip").filter((path) => /x64|darwin|win32/.test(path))).toEqual([]);
    // The functions run with --enable-source-maps: their maps make the stack traces of error reports.
    expect(entries("image-processor.zip").filter((path) => path.endsWith(".map"))).toEqual(["index.js.map"]);
    expect(entries("image-derivatives.zip").filter((path) => path.endsWith(".map"))).toEqual(["index.js.map"]);
    expect(Buffer.from(readFileSync(join(packageDir("cdktf"), "build", "image-derivatives.zip"))).equals(Buffer.from(repositoryZip))).toBe(
      true,
    );
  });

  it("is published with a consumer's manifest: nothing runs at install, no devDependencies, and only what the constructs load", () => {
    const { manifest } = flavorOf("cdktf");
    const constructsLoad = (name: string) => filesLoading(packageDir("cdktf"), name).some((file) => file.includes("/lib/constructs/"));

    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.private).toBeUndefined();
    expect(pkg.private).toBe(true);
    for (const name of Object.keys(manifest.dependencies)) expect({ name, loaded: constructsLoad(name) }).toEqual({ name, loaded: true });
  });

  it("ships the image-pipeline command as one bundle that loads nothing but Node's own modules and the frameworks", () => {
    const cli = paths.filter((path) => path.startsWith("lib/cli/"));
    const bundle = readFileSync(join(packageDir("cdktf"), "lib", "cli", "index.js"), "utf8");
    const loaded = [...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1].replace(/^(@[^/]+\/[^/]+|[^@/][^/]*).*$/, "$1"));

    expect(bundle.startsWith("#!/usr/bin/env node")).toBe(true);
    const outside = [...new Set(loaded)].filter((name) => !isBuiltin(name)).sort();

    expect(cli).toEqual(["lib/cli/index.js"]);
    expect(outside).toEqual(expect.arrayContaining(["cdktf"]));
    expect(outside.filter((name) => !CLI_EXTERNALS.includes(name))).toEqual([]);
  });

  it("declares the frameworks as peer dependencies, so an app's own copies are the ones used", () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(["@cdktf/provider-aws", "cdktf", "constructs"]);
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.dependencies[name]).toBeUndefined();
      expect(pkg.devDependencies[name]).toBeDefined();
    }
  });

  it("leaves out tests, sources of the build, and build junk", () => {
    const junk = paths.filter((path) => /^(__tests__|node_modules|cdktf\.out|\.build|\.venv|coverage|scripts|functions)\//.test(path));

    expect(junk).toEqual([]);
  });
});

describe("the image-pipeline command", () => {
  it("answers --help from the checkout (npx finds the package's own bin)", () => {
    const result = imagePipeline(ROOT, ["--help"]);

    expect(result.status).toBe(0);
    for (const command of ["backfill", "dead-letters", "report", "query"]) expect(result.stdout).toContain(command);
  });
});
