// Each flavor's packed tarball, installed into an empty app of its framework as a consumer installs
// it. The two installs run side by side (most of their time is npm unpacking the providers).
import { execFile, spawnSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { terraform, writeCliConfig } from "../deploy/terraform";
import { AWS_PROVIDER_REQUIREMENT } from "../../constructs/shipping/provider-requirements";
import { docSnippets, packageExports, snippetModule } from "../helpers/doc-snippets";
import { type Flavor, ROOT, consumerApp, flavor, imagePipeline, pkg } from "../helpers/package-flavors";

const run = promisify(execFile);

/**
 * What the library may add to an app's node_modules beside the frameworks the app already has, at most
 * (the target was 25 MB): 74 MB while the command's AWS SDK clients were dependencies; 27.5 MB with the
 * command as one bundle and the functions' bundles unzipped (libvips for linux-arm64 alone 18.3 MB);
 * 14.3 MB since the functions ship as the zips the constructs deploy. The budget leaves room for a patch
 * release of sharp or the SDK, not for another unzipped runtime.
 */
const INSTALL_BUDGET_BYTES = 16e6;

/** Bytes of the files under `path` (relative to `root`), leaving out folders that are packages of their own in npm's lockfile. */
function ownBytes(root: string, path: string, packages: Record<string, unknown>): number {
  return readdirSync(join(root, path), { withFileTypes: true }).reduce((sum, entry) => {
    const child = `${path}/${entry.name}`;
    if (packages[child]) return sum;
    return sum + (entry.isDirectory() ? ownBytes(root, child, packages) : lstatSync(join(root, child)).size);
  }, 0);
}

/**
 * What installing `name` added to the app at `consumer`: the packages only it brings (its own and the
 * dependencies it reaches that none of the app's own packages reach), by npm's lockfile, and their bytes.
 */
function addedByInstall(consumer: string, name: string, own: string[]): { packages: string[]; bytes: number } {
  const locked: Record<string, any> = JSON.parse(readFileSync(join(consumer, "package-lock.json"), "utf8")).packages;
  // Node's resolution: the nearest node_modules up from the dependent package's folder.
  const resolve = (from: string, dep: string): string | undefined => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf("/node_modules/")))) {
      const candidate = dir === "" ? `node_modules/${dep}` : `${dir}/node_modules/${dep}`;
      if (locked[candidate]) return candidate;
      if (dir === "") return undefined;
    }
  };
  const reach = (roots: string[]): Set<string> => {
    const seen = new Set<string>();
    const visit = (path: string | undefined) => {
      if (path === undefined || seen.has(path)) return;
      seen.add(path);
      const entry = locked[path];
      for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }))
        visit(resolve(path, dep));
    };
    for (const root of roots) visit(`node_modules/${root}`);
    return seen;
  };
  const app = reach(own);
  const packages = [...reach([name])].filter((path) => !app.has(path)).sort();
  return { packages, bytes: packages.reduce((sum, path) => sum + ownBytes(consumer, path, locked), 0) };
}

interface Installed {
  readonly consumer: string;
  /** The app's own framework packages and their versions. */
  readonly own: Record<string, string>;
  /** Where npm put each of them (one folder each is one copy). */
  readonly folders: Record<string, string[]>;
  readonly synthesized: any;
  readonly validate: any;
}

/** Packs `flavor`, installs the tarball beside the app's own frameworks, synthesizes the app and validates it with Terraform. */
async function installFromTarball(f: Flavor, work: string): Promise<Installed> {
  const packed = JSON.parse(
    (await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: f.packageDir })).stdout,
  )[0];
  const consumer = join(work, "consumer");
  mkdirSync(consumer);
  // The app's own framework versions (this project's tested ones, within the peer ranges).
  const own: Record<string, string> = Object.fromEntries(
    Object.keys(f.manifest.peerDependencies).map((name) => [name, pkg.devDependencies[name]]),
  );
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies: own }));
  // From npm's cache, filled by `npm ci`: the dependencies are this project's own.
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(work, packed.filename)], {
    cwd: consumer,
    maxBuffer: 64 * 1024 * 1024,
  });
  const folders: Record<string, string[]> = {};
  for (const name of Object.keys(own)) {
    const { stdout } = await run("npm", ["ls", "--all", "--parseable", name], { cwd: consumer });
    folders[name] = [...new Set(stdout.split("\n").filter(Boolean))];
  }
  writeFileSync(join(consumer, "main.js"), consumerApp(f));
  await run(process.execPath, ["main.js", join(consumer, "out")], { cwd: consumer });
  const stackDir = join(consumer, "out", "stacks", "consumer");
  // The offline mirror's provider (TF_PROVIDER_MIRROR), as the deploy suite takes it.
  const tfEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_CLI_CONFIG_FILE: writeCliConfig(work),
  };
  await terraform(stackDir, tfEnv, ["init", "-backend=false", "-input=false", "-no-color"]);
  const validate = JSON.parse((await terraform(stackDir, tfEnv, ["validate", "-json", "-no-color"], [0, 1])).stdout);
  return { consumer, own, folders, synthesized: JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")), validate };
}

describe("each npm package, from its packed tarball, in an empty app of its framework", () => {
  const works: string[] = [];
  const installs = new Map<string, Promise<Installed>>();

  beforeAll(() => {
    for (const framework of ["cdktf", "cdktn"] as const) {
      const work = mkdtempSync(join(tmpdir(), `tarball-${framework}-`));
      works.push(work);
      const installed = installFromTarball(flavor(framework), work);
      installed.catch(() => undefined); // the flavor's own test reports it
      installs.set(framework, installed);
    }
  });
  afterAll(async () => {
    await Promise.allSettled(installs.values());
    for (const work of works) rmSync(work, { recursive: true, force: true });
  });

  it.each(["cdktf", "cdktn"] as const)(
    "%s: one copy of each framework package (the app's own), two pipelines synthesized and valid for Terraform, --help answered",
    async (framework) => {
      // Act
      const { consumer, own, folders, synthesized, validate } = await installs.get(framework)!;
      const help = imagePipeline(consumer, ["--help"]);
      const backfill = imagePipeline(consumer, ["backfill", "--help"]);

      // Assert
      for (const [name, version] of Object.entries(own)) {
        expect(folders[name]).toEqual([join(consumer, "node_modules", name)]);
        expect(JSON.parse(readFileSync(join(consumer, "node_modules", name, "package.json"), "utf8")).version).toBe(version);
      }
      expect(Object.keys(synthesized.resource.aws_lambda_function)).toHaveLength(2);
      expect({ valid: validate.valid, errors: validate.error_count, diagnostics: validate.diagnostics.map((d: any) => d.summary) }).toEqual(
        { valid: true, errors: 0, diagnostics: [] },
      );
      const added = addedByInstall(consumer, flavor(framework).manifest.name, Object.keys(own));
      const { manifest } = flavor(framework);
      expect(added.packages).toEqual([manifest.name, ...Object.keys(manifest.dependencies)].map((name) => `node_modules/${name}`).sort());
      expect(added.bytes).toBeLessThanOrEqual(INSTALL_BUDGET_BYTES);
      process.stdout.write(`${framework}: the library adds ${(added.bytes / 1e6).toFixed(1)} MB\n`);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain("Usage: image-pipeline");
      expect(backfill.stdout).toContain("Examples:\n  npx image-pipeline backfill");
    },
    480_000,
  );

  it("cdktf: the example app (examples/cdktf-app) and every TypeScript snippet of the docs type-check against the installed package; the app synthesizes and is valid for Terraform", async () => {
    // Arrange: the example app beside the consumer's node_modules, and one module per snippet
    const { consumer } = await installs.get("cdktf")!;
    const { manifest } = flavor("cdktf");
    const app = join(consumer, "example");
    cpSync(join(ROOT, "examples", "cdktf-app"), app, { recursive: true });
    mkdirSync(join(consumer, "node_modules", "@types"), { recursive: true });
    cpSync(join(ROOT, "node_modules", "@types", "node"), join(consumer, "node_modules", "@types", "node"), { recursive: true });
    const exported = packageExports(readFileSync(join(consumer, "node_modules", manifest.name, manifest.types), "utf8"));
    const snippets = docSnippets(ROOT);
    mkdirSync(join(consumer, "snippets"));
    for (const [i, snippet] of snippets.entries())
      writeFileSync(join(consumer, "snippets", `snippet-${i}.ts`), snippetModule(snippet, manifest.name, exported));
    writeFileSync(
      join(consumer, "snippets", "tsconfig.json"),
      JSON.stringify({ extends: "../example/tsconfig.json", compilerOptions: { noEmit: true }, include: ["*.ts"] }),
    );
    const tsc = (project: string) =>
      spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project], {
        cwd: consumer,
        encoding: "utf8",
      });
    const example = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));

    // Act
    const builtApp = tsc(join(app, "tsconfig.json"));
    const checkedSnippets = tsc(join(consumer, "snippets", "tsconfig.json"));
    const synth = spawnSync(process.execPath, [join(app, "build", "main.js")], { cwd: app, encoding: "utf8" });
    const stackDir = join(app, "cdktf.out", "stacks", "media");
    // The prebuilt bindings pin the provider they were generated from (6.x), which a user's registry
    // serves; the offline mirror here holds 5.100, which the library supports as well.
    const synthesized = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    synthesized.terraform.required_providers.aws.version = AWS_PROVIDER_REQUIREMENT.version;
    writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify(synthesized));
    const tfEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: writeCliConfig(consumer) };
    await terraform(stackDir, tfEnv, ["init", "-backend=false", "-input=false", "-no-color"]);
    const validate = JSON.parse((await terraform(stackDir, tfEnv, ["validate", "-json", "-no-color"], [0, 1])).stdout);

    // Assert
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    expect({ status: checkedSnippets.status, errors: checkedSnippets.stdout }).toEqual({ status: 0, errors: "" });
    expect({ status: builtApp.status, errors: builtApp.stdout }).toEqual({ status: 0, errors: "" });
    // Node's deprecation notices about a dependency's own calls (util.isArray) are not the app's.
    const stderr = synth.stderr.split("\n").filter((line) => line && !/DeprecationWarning|--trace-deprecation/.test(line));
    expect({ status: synth.status, stderr }).toEqual({ status: 0, stderr: [] });
    expect({ valid: validate.valid, diagnostics: validate.diagnostics.map((d: any) => d.summary) }).toEqual({
      valid: true,
      diagnostics: [],
    });
    // The example pins what this package is tested with.
    for (const [name, version] of Object.entries({ ...example.dependencies, ...example.devDependencies }))
      expect({ name, version }).toEqual({ name, version: name === manifest.name ? `^${pkg.version}` : pkg.devDependencies[name] });
  }, 600_000);
});
