// `image-pipeline --help` and a usage error answer without loading the frameworks (cdktf, constructs,
// the AWS provider): only what names a pipeline by the constructs' rules needs them. The command is
// bundled as the package builds it, the frameworks left out as its peer dependencies, and run with a
// preloaded hook that records every module the process loaded.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const ROOT = join(__dirname, "..", "..");
const FRAMEWORKS = Object.keys(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).peerDependencies as object);

describe("image-pipeline's start-up", () => {
  let dir: string;
  let bundle: string;

  /** The modules the command loaded, run with `args`, that belong to a framework package. */
  function frameworksLoaded(args: string[]): { code: number | null; loaded: string[] } {
    const record = join(dir, `loaded-${args.join("_").replace(/\W/g, "")}.json`);
    const run = spawnSync(process.execPath, ["--require", join(dir, "record-modules.cjs"), bundle, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir, RECORD_MODULES: record },
      encoding: "utf8",
    });
    const modules: string[] = JSON.parse(readFileSync(record, "utf8"));
    const frameworks = modules.filter((file) => FRAMEWORKS.some((name) => file.includes(`/node_modules/${name}/`)));
    return { code: run.status, loaded: frameworks };
  }

  beforeAll(async () => {
    // Under build/, so the bundle resolves the frameworks from the project's node_modules, as installed beside an app.
    mkdirSync(join(ROOT, "build"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "build", "cli-startup-"));
    bundle = join(dir, "image-pipeline.js");
    await build({
      entryPoints: [join(ROOT, "cli", "index.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      external: FRAMEWORKS.flatMap((name) => [name, `${name}/*`]),
      outfile: bundle,
      logLevel: "error",
    });
    writeFileSync(
      join(dir, "record-modules.cjs"),
      'process.on("exit", () => require("node:fs").writeFileSync(process.env.RECORD_MODULES, JSON.stringify(Object.keys(require.cache))));\n',
    );
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([[["--help"]], [["report", "--help"]], [["--bogus"]], [["frobnicate"]], [["report"]]])("loads no framework for %j", (args) => {
    // Act
    const { code, loaded } = frameworksLoaded(args);

    // Assert
    expect(loaded).toEqual([]);
    expect([0, 2]).toContain(code);
  });

  it("does load them when an option is checked by the constructs' rules (so the record can see them)", () => {
    const { code, loaded } = frameworksLoaded(["report", "--env", "Dev Env!"]);

    expect(code).toBe(2);
    expect(loaded.some((file) => file.includes("/node_modules/cdktf/"))).toBe(true);
  });
});
