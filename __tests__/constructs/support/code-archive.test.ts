import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";
import { deterministicZip, shippedZipOf, zipCacheDir } from "../../../constructs/support/code-archive";

const ROOT = join(__dirname, "..", "..", "..");
const PACKAGE_NAME = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).name;

/**
 * A user's `cdktf synth`, in the flavor under test (CDK_FRAMEWORK): the app built as `npm run synth`
 * builds it, then, with TMPDIR pointed at argv[1] and no zip cache named, one stack with its
 * provider and a pipeline synthesized into argv[2].
 */
const USER_SYNTH = `
  import { createRequire } from "node:module";
  import { join } from "node:path";
  import { appDir, buildApp } from "./scripts/build.mjs";
  const require = createRequire(join(process.cwd(), "package.json"));
  const { FRAMEWORKS, frameworkFrom } = require("./scripts/frameworks.cjs");
  const framework = frameworkFrom();
  await buildApp({ framework });
  const [privateTmp, outdir] = process.argv.slice(1);
  process.env.TMPDIR = privateTmp;
  delete process.env.IMAGE_PIPELINE_ZIP_CACHE;
  const { App, TerraformStack } = require(FRAMEWORKS[framework].core);
  const { AwsProvider } = require(FRAMEWORKS[framework].providerAws + "/lib/provider");
  const { ImageProcessingPipeline } = require(join(appDir(framework), "constructs", "image-processing-pipeline.js"));
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, "images");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new ImageProcessingPipeline(stack, "Images", { environment: "dev", dataProtection: false });
  app.synth();
`;

/** Runs `act` with the environment variables set (undefined: unset), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, act: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(vars);
  try {
    return act();
  } finally {
    set(saved);
  }
}

/** A user's app synthesized into `outdir`: one stack, its provider, one pipeline. */
function synthApp(outdir: string): void {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, "images");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new ImageProcessingPipeline(stack, "Images", { environment: "dev", dataProtection: false });
  app.synth();
}

describe("the code zips' cache", () => {
  // The run's temporary folder (global-setup.js): the private folders below live and die in it.
  const runTmp = tmpdir();
  let privateTmp: string;
  let outdir: string;
  beforeEach(() => {
    privateTmp = mkdtempSync(join(runTmp, "private-tmp-"));
    outdir = mkdtempSync(join(runTmp, "app-out-"));
  });
  afterEach(() => {
    rmSync(privateTmp, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
  });

  it("leaves no file in the system's temporary folder when an app synthesizes", () => {
    // In a process of its own: node's os.tmpdir() reads the real environment, which a test's process.env is not.
    const synth = spawnSync(process.execPath, ["--input-type=module", "-e", USER_SYNTH, privateTmp, outdir], {
      cwd: ROOT,
      env: process.env,
      encoding: "utf8",
    });

    expect(synth.stderr).toBe("");
    expect(readdirSync(privateTmp)).toEqual([]);
    expect(readdirSync(join(outdir, "stacks", "images", "assets"))).toEqual([expect.stringContaining("Processor_Code_Asset")]);
  });

  it("is node_modules/.cache/<package name> of the app, found from the working directory up", () => {
    const appDir = join(privateTmp, "app");
    mkdirSync(join(appDir, "node_modules"), { recursive: true });
    mkdirSync(join(appDir, "src", "stacks"), { recursive: true });
    writeFileSync(join(appDir, "package.json"), "{}");

    const fromRoot = zipCacheDir(appDir, {});
    const fromBelow = zipCacheDir(join(appDir, "src", "stacks"), {});

    expect(fromRoot).toBe(join(appDir, "node_modules", ".cache", PACKAGE_NAME));
    expect(fromBelow).toBe(fromRoot);
  });

  it("is where IMAGE_PIPELINE_ZIP_CACHE says, relative to the working directory", () => {
    const named = zipCacheDir(privateTmp, { IMAGE_PIPELINE_ZIP_CACHE: "zips" });

    expect(named).toBe(join(privateTmp, "zips"));
  });

  it("is the app's output folder when the app has no node_modules", () => {
    const appDir = join(privateTmp, "app");
    mkdirSync(appDir);
    writeFileSync(join(appDir, "package.json"), "{}");
    const cwd = process.cwd();
    process.chdir(appDir);

    try {
      withEnv({ IMAGE_PIPELINE_ZIP_CACHE: undefined }, () => synthApp(outdir));
    } finally {
      process.chdir(cwd);
    }

    expect(zipCacheDir(appDir, {})).toBeUndefined();
    // The asset's source at least (the zip itself is this process's already, from the synth above).
    expect(readdirSync(join(outdir, ".cache", PACKAGE_NAME))).toContain("assets");
    expect(existsSync(join(appDir, "node_modules"))).toBe(false);
  });
});

describe("a bundle the npm package ships zipped", () => {
  const work = mkdtempSync(join(tmpdir(), "shipped-zip-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("is deployed as the zip beside where its folder would be, which is the zip made of that folder", () => {
    // Arrange: a bundle folder, and a copy of the package where only its zip (as scripts/pack.mjs writes it) is left
    const folder = join(work, "repository", "build", "image-processor");
    mkdirSync(join(folder, "lib"), { recursive: true });
    writeFileSync(join(folder, "index.js"), "exports.handler = async () => 'ok';\n");
    writeFileSync(join(folder, "lib", "util.js"), "module.exports = 1;\n");
    const shippedFolder = join(work, "package", "build", "image-processor");
    mkdirSync(join(work, "package", "build"), { recursive: true });
    writeFileSync(shippedZipOf(shippedFolder), deterministicZip(folder, undefined));

    // Act
    const fromTheFolder = Buffer.from(deterministicZip(folder, undefined));
    const fromTheZip = Buffer.from(deterministicZip(shippedFolder, undefined));

    // Assert
    expect(existsSync(shippedFolder)).toBe(false);
    expect(fromTheZip.equals(fromTheFolder)).toBe(true);
    expect(() => deterministicZip(join(work, "package", "build", "image-derivatives"), undefined)).toThrow(
      /code folder .*image-derivatives does not exist: build the functions first/,
    );
  });
});
