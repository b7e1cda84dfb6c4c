import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { terraform, writeCliConfig } from "../deploy/terraform";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FRAMEWORKS } = require("../../scripts/frameworks.cjs");

const ROOT = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
/** The cdktn package, laid out from the built library by scripts/pack-cdktn.mjs (beforeAll). */
const CDKTN_PACKAGE = join(ROOT, "build", "npm-cdktn");

interface Flavor {
  readonly framework: "cdktf" | "cdktn";
  /** The folder `npm pack` packs. */
  readonly packageDir: string;
  readonly manifest: any;
}
const flavors = (): Flavor[] => [
  { framework: "cdktf", packageDir: ROOT, manifest: pkg },
  { framework: "cdktn", packageDir: CDKTN_PACKAGE, manifest: JSON.parse(readFileSync(join(CDKTN_PACKAGE, "package.json"), "utf8")) },
];

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, "scripts", "pack-cdktn.mjs"), "--stage"], { cwd: ROOT, stdio: "pipe" });
});

/** A consumer's own app on `framework`, in plain JavaScript, resolving the package by its name. */
const consumerApp = ({ framework, manifest }: Flavor) => `
const { App, TerraformStack } = require("${FRAMEWORKS[framework].core}");
const { AwsProvider } = require("${FRAMEWORKS[framework].providerAws}/lib/provider");
const { ImageProcessingPipeline, MetadataTable } = require("${manifest.name}");

const app = new App({ outdir: process.argv[2] });
const stack = new TerraformStack(app, "consumer");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
new ImageProcessingPipeline(stack, "Blue", { environment: "blue" });
new ImageProcessingPipeline(stack, "Green", { environment: "green" });
new MetadataTable(stack, "Catalogue", { tableName: "Catalogue" });
// The prebuilt bindings ask for the provider they were generated from (6.x); the offline mirror
// here holds 5.100, which the library supports (constructs/provider-requirements.ts).
stack.addOverride("terraform.required_providers.aws.version", process.env.AWS_PROVIDER_VERSION ?? ">= 5.100, < 7.0");
app.synth();
`;

/** What `npm pack` would pack from `dir` (once per folder and run). */
const packs = new Map<string, any>();
const dryRunPack = (dir: string) => {
  if (!packs.has(dir)) packs.set(dir, JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: dir, encoding: "utf8" }))[0]);
  return packs.get(dir);
};

/** Every .js and .d.ts file of a package's lib/ that loads `name` or a path inside it. */
const filesLoading = (packageDir: string, name: string): string[] => {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  const loads = new RegExp(`(require\\(|from |import\\()["']${name.replace("/", "\\/")}(/[^"']*)?["']`);
  return walk(join(packageDir, "lib")).filter((file) => /\.(js|d\.ts)$/.test(file) && loads.test(readFileSync(file, "utf8")));
};

describe.each(["cdktf", "cdktn"] as const)("the construct library on %s, imported the way a consumer does", (framework) => {
  const work = mkdtempSync(join(tmpdir(), `consumer-${framework}-`));
  let stack: any;
  let flavor: Flavor;

  beforeAll(() => {
    flavor = flavors().find((f) => f.framework === framework)!;
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
    expect(readFileSync(join(flavor.packageDir, "lib", "constructs", "index.d.ts"), "utf8")).toContain('export * from "./image-processing-pipeline"');
  });

  it("was synthesized by the consumer's framework", () => {
    expect(stack["//"].metadata.version).toBe(JSON.parse(readFileSync(join(ROOT, "node_modules", FRAMEWORKS[framework].core, "package.json"), "utf8")).version);
  });

  it("puts two pipelines and a stand-alone part in one stack without a name clash", () => {
    const names = (type: string, attribute: string) =>
      Object.values(stack.resource[type]).map((resource: any) => resource[attribute]).sort();

    expect(names("aws_lambda_function", "function_name")).toEqual(["ImageProcessor-blue", "ImageProcessor-green"]);
    expect(names("aws_dynamodb_table", "name")).toEqual(["Catalogue", "ImageMetadata-blue", "ImageMetadata-green"]);
    expect(names("aws_sqs_queue", "name")).toEqual(["ImageProcessor-DLQ-blue", "ImageProcessor-DLQ-green"]);
    expect(names("aws_iam_role", "name")).toEqual(["ImageProcessor-blue", "ImageProcessor-green"]);
    expect(names("aws_cloudwatch_dashboard", "dashboard_name")).toEqual(["ImageProcessing-blue", "ImageProcessing-green"]);
    expect(names("aws_lambda_function", "filename").every((file: string) => file.endsWith("/image-processor.zip"))).toBe(true);
  });
});

describe("the cdktn package (scripts/pack-cdktn.mjs)", () => {
  it("loads cdktn and its provider wherever the cdktf package loads cdktf's, and never cdktf", () => {
    const cdktfLoaders = (name: string) => filesLoading(ROOT, name).map((file) => file.slice(ROOT.length)).sort();
    const cdktnLoaders = (name: string) => filesLoading(CDKTN_PACKAGE, name).map((file) => file.slice(CDKTN_PACKAGE.length)).sort();

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
    const paths = (dir: string) => dryRunPack(dir).files.map((file: { path: string }) => file.path).sort();

    expect(paths(CDKTN_PACKAGE)).toEqual(paths(ROOT));
  });
});

describe("the npm package", () => {
  const packed = dryRunPack(ROOT);
  const paths: string[] = packed.files.map((file: { path: string }) => file.path);

  it("ships the library, the processor bundle, its licence, docs and examples, but not the Terraform module (a release of its own)", () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "lib/constructs/index.js",
        "lib/constructs/index.d.ts",
        "build/image-processor/index.js",
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

  it("ships one copy of the derivatives runtime (sharp for linux-arm64), and source maps only where error reports use them", () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        "build/image-derivatives/index.js",
        "build/image-derivatives/node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64-0.35.5.node",
      ]),
    );
    expect(paths.filter((path) => path.endsWith(".zip"))).toEqual([]);
    expect(paths.filter((path) => path.startsWith("build/image-derivatives/") && /x64|darwin|win32/.test(path))).toEqual([]);
    // The functions run with --enable-source-maps: their maps make the stack traces of error reports.
    expect(paths.filter((path) => path.endsWith(".map")).sort()).toEqual(["build/image-derivatives/index.js.map", "build/image-processor/index.js.map"]);
  });

  it("packs to at most 10 MB", () => {
    expect(packed.size).toBeLessThanOrEqual(10_000_000);
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
  const help = (cwd: string) => spawnSync("npx", ["image-pipeline", "--help"], { cwd, encoding: "utf8", env: { ...process.env, npm_config_yes: "false" } });

  it("answers --help from the checkout (npx finds the package's own bin)", () => {
    const result = help(ROOT);

    expect(result.status).toBe(0);
    for (const command of ["backfill", "replay-dead-letters", "report", "query"]) expect(result.stdout).toContain(command);
  });

  it.each(["cdktf", "cdktn"] as const)(
    "installs the %s package from its packed tarball into an empty app of that framework: one copy of each, two pipelines synthesized and valid for Terraform, --help answered",
    async (framework) => {
      const work = mkdtempSync(join(tmpdir(), `tarball-${framework}-`));
      try {
        const flavor = flavors().find((f) => f.framework === framework)!;
        const packed = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: flavor.packageDir, encoding: "utf8" }))[0];
        const consumer = join(work, "consumer");
        mkdirSync(consumer);
        // The app's own framework versions (this project's tested ones, within the peer ranges).
        const own = Object.fromEntries(Object.keys(flavor.manifest.peerDependencies).map((name) => [name, pkg.devDependencies[name]]));
        writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies: own }));
        // From npm's cache, filled by `npm ci`: the dependencies are this project's own.
        execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(work, packed.filename)], { cwd: consumer, stdio: "pipe" });

        // Where npm put each package: one folder each, the app's own, is one copy.
        const folders = (name: string) => [...new Set(execFileSync("npm", ["ls", "--all", "--parseable", name], { cwd: consumer, encoding: "utf8" }).split("\n").filter(Boolean))];
        writeFileSync(join(consumer, "main.js"), consumerApp(flavor));
        execFileSync(process.execPath, ["main.js", join(consumer, "out")], { cwd: consumer, stdio: "pipe" });
        const stackDir = join(consumer, "out", "stacks", "consumer");
        const synthesized = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
        // The offline mirror's provider (TF_PROVIDER_MIRROR), as the deploy suite takes it.
        const tfEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_CLI_CONFIG_FILE: writeCliConfig(work) };
        await terraform(stackDir, tfEnv, ["init", "-backend=false", "-input=false", "-no-color"]);
        const validate = JSON.parse((await terraform(stackDir, tfEnv, ["validate", "-json", "-no-color"], [0, 1])).stdout);
        const result = help(consumer);
        const backfill = spawnSync("npx", ["image-pipeline", "backfill", "--help"], { cwd: consumer, encoding: "utf8", env: { ...process.env, npm_config_yes: "false" } });

        for (const [name, version] of Object.entries(own)) {
          expect(folders(name)).toEqual([join(consumer, "node_modules", name)]);
          expect(JSON.parse(readFileSync(join(consumer, "node_modules", name, "package.json"), "utf8")).version).toBe(version);
        }
        expect(Object.keys(synthesized.resource.aws_lambda_function)).toHaveLength(2);
        expect({ valid: validate.valid, errors: validate.error_count, diagnostics: validate.diagnostics.map((d: any) => d.summary) }).toEqual({ valid: true, errors: 0, diagnostics: [] });
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("Usage: image-pipeline");
        expect(backfill.stdout).toContain("Examples:\n  npx image-pipeline backfill");
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
