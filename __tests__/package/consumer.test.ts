import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

// A consumer's own cdktf app, in plain JavaScript, resolving the package by its name.
const CONSUMER_APP = `
const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { ImageProcessingPipeline, MetadataTable } = require("${pkg.name}");

const app = new App({ outdir: process.argv[2] });
const stack = new TerraformStack(app, "consumer");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
new ImageProcessingPipeline(stack, "Blue", { environment: "blue" });
new ImageProcessingPipeline(stack, "Green", { environment: "green" });
new MetadataTable(stack, "Catalogue", { tableName: "Catalogue" });
app.synth();
`;

describe("the construct library, imported the way a consumer does", () => {
  const work = mkdtempSync(join(tmpdir(), "consumer-"));
  let stack: any;

  beforeAll(() => {
    // The consumer's node_modules: this package (its built output) and its peer dependencies.
    const modules = join(work, "node_modules");
    mkdirSync(join(modules, "@cdktf"), { recursive: true });
    symlinkSync(ROOT, join(modules, pkg.name), "dir");
    for (const dep of ["cdktf", "constructs", "@cdktf/provider-aws", "fflate"]) {
      symlinkSync(join(ROOT, "node_modules", dep), join(modules, dep), "dir");
    }
    writeFileSync(join(work, "main.js"), CONSUMER_APP);
    execFileSync(process.execPath, ["main.js", join(work, "out")], { cwd: work, stdio: "pipe" });
    stack = JSON.parse(readFileSync(join(work, "out", "stacks", "consumer", "cdk.tf.json"), "utf8"));
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("resolves to the compiled JavaScript with type declarations", () => {
    expect(pkg.exports["."]).toEqual({ types: "./lib/constructs/index.d.ts", default: "./lib/constructs/index.js" });
    expect(existsSync(join(ROOT, "lib", "constructs", "index.js"))).toBe(true);
    expect(readFileSync(join(ROOT, "lib", "constructs", "index.d.ts"), "utf8")).toContain('export * from "./image-processing-pipeline"');
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

describe("the npm package", () => {
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" }),
  )[0];
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

  it("installs from the packed tarball into an app with its own frameworks: one copy of each, two pipelines synthesized, --help answered", () => {
    const work = mkdtempSync(join(tmpdir(), "tarball-"));
    try {
      const packed = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" }))[0];
      const consumer = join(work, "consumer");
      mkdirSync(consumer);
      // The app's own framework versions (this project's tested ones, within the peer ranges).
      const own = Object.fromEntries(Object.keys(pkg.peerDependencies).map((name) => [name, pkg.devDependencies[name]]));
      writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies: own }));
      // From npm's cache, filled by `npm ci`: the dependencies are this project's own.
      execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(work, packed.filename)], { cwd: consumer, stdio: "pipe" });

      // Where npm put each package: one folder each, the app's own, is one copy.
      const folders = (name: string) => [...new Set(execFileSync("npm", ["ls", "--all", "--parseable", name], { cwd: consumer, encoding: "utf8" }).split("\n").filter(Boolean))];
      writeFileSync(join(consumer, "main.js"), CONSUMER_APP);
      execFileSync(process.execPath, ["main.js", join(consumer, "out")], { cwd: consumer, stdio: "pipe" });
      const synthesized = JSON.parse(readFileSync(join(consumer, "out", "stacks", "consumer", "cdk.tf.json"), "utf8"));
      const result = help(consumer);
      const backfill = spawnSync("npx", ["image-pipeline", "backfill", "--help"], { cwd: consumer, encoding: "utf8", env: { ...process.env, npm_config_yes: "false" } });

      for (const [name, version] of Object.entries(own)) {
        expect(folders(name)).toEqual([join(consumer, "node_modules", name)]);
        expect(JSON.parse(readFileSync(join(consumer, "node_modules", name, "package.json"), "utf8")).version).toBe(version);
      }
      expect(Object.keys(synthesized.resource.aws_lambda_function)).toHaveLength(2);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain("Usage: image-pipeline");
      expect(backfill.stdout).toContain("Examples:\n  npx image-pipeline backfill");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
