// The same app and module synthesized by both framework flavors (scripts/frameworks.cjs): cdktf 0.21
// and CDK Terrain (cdktn) 0.24. The module must be byte-identical; the stacks may differ only where
// listed below, each with its reason.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const { FRAMEWORKS } = require("../../scripts/frameworks.cjs");

/** Where the stacks of the two flavors may differ: a path in cdk.tf.json or manifest.json, and why. */
const ALLOWED_DIFFERENCES = [
  {
    file: /(^|\/)cdk\.tf\.json$/,
    example: "stacks/image-processing-dev/cdk.tf.json",
    path: ["//", "metadata", "version"],
    reason: 'the version of the framework that synthesized the stack (metadata only; Terraform ignores "//")',
  },
  {
    file: /^manifest\.json$/,
    example: "manifest.json",
    path: ["version"],
    reason: "the version of the framework that wrote the manifest, read by its own CLI",
  },
] as const;
// Beyond these, the two write empty objects and arrays differently (cdktn's "{}" for cdktf's "{\n}"): the same JSON.

/** Every file under `dir`, relative to it, with its bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/** `npm run synth` with CDK_FRAMEWORK=`framework`, into a folder of its own. */
function synth(framework: string, work: string) {
  const stacks = join(work, framework, "cdktf.out");
  const module = join(work, framework, "terraform-module");
  mkdirSync(join(work, framework));
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_FRAMEWORK: framework, CDKTF_OUTDIR: stacks, MODULE_OUTDIR: module };
  delete env.TF_STATE_BUCKET;
  const run = spawnSync(process.execPath, [join(ROOT, "scripts", "synth.mjs")], { cwd: ROOT, env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`CDK_FRAMEWORK=${framework} synth failed: ${run.stderr}`);
  return { stacks: filesUnder(stacks), module: filesUnder(module) };
}

/** `<framework> synth` (the framework's own CLI, reading cdktf.json) into a folder of its own: its stacks. */
function cliSynth(framework: "cdktf" | "cdktn", work: string): Map<string, Buffer> {
  const output = join(work, `${framework}-cli`);
  const { cli: cliName, command } = FRAMEWORKS[framework];
  const cliPackage = join(ROOT, "node_modules", cliName);
  const cli = join(cliPackage, JSON.parse(readFileSync(join(cliPackage, "package.json"), "utf8")).bin[command]);
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_FRAMEWORK: framework, CHECKPOINT_DISABLE: "1" };
  delete env.TF_STATE_BUCKET;
  const run = spawnSync(process.execPath, [cli, "synth", "--output", output], { cwd: ROOT, env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${framework} synth failed: ${run.stderr}\n${run.stdout}`);
  return new Map([...filesUnder(output)].filter(([file]) => file.startsWith("stacks/")));
}

/** `json` without the value at `path`. */
function without(json: any, path: readonly string[]): any {
  const copy = structuredClone(json);
  let at = copy;
  for (const key of path.slice(0, -1)) at = at?.[key];
  if (at) delete at[path[path.length - 1]];
  return copy;
}

describe("the two framework flavors synthesize the same Terraform", () => {
  const work = mkdtempSync(join(tmpdir(), "flavors-"));
  let cdktf: ReturnType<typeof synth>;
  let cdktn: ReturnType<typeof synth>;

  beforeAll(() => {
    cdktf = synth("cdktf", work);
    cdktn = synth("cdktn", work);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("the Terraform module: every file byte for byte, its function zips among them", () => {
    expect([...cdktn.module.keys()]).toEqual([...cdktf.module.keys()]);
    expect([...cdktf.module.keys()].filter((file) => file.endsWith(".zip")).length).toBeGreaterThanOrEqual(2);
    const differing = [...cdktf.module.keys()].filter((file) => !cdktf.module.get(file)!.equals(cdktn.module.get(file)!));

    expect(differing).toEqual([]);
  });

  it("the stacks: the same files, the assets byte for byte, and the JSON equal but for the listed paths", () => {
    expect([...cdktn.stacks.keys()]).toEqual([...cdktf.stacks.keys()]);
    const differences: string[] = [];
    for (const [file, bytes] of cdktf.stacks) {
      const other = cdktn.stacks.get(file)!;
      if (bytes.equals(other)) continue;
      const allowed = ALLOWED_DIFFERENCES.filter((d) => d.file.test(file));
      if (!file.endsWith(".json") || allowed.length === 0) {
        differences.push(`${file}: bytes differ`);
        continue;
      }
      const strip = (json: any) => allowed.reduce((acc, d) => without(acc, d.path), json);
      if (JSON.stringify(strip(JSON.parse(bytes.toString()))) !== JSON.stringify(strip(JSON.parse(other.toString()))))
        differences.push(`${file}: JSON differs beyond the listed paths`);
    }

    expect(differences).toEqual([]);
    expect(cdktn.stacks.get("stacks/image-processing-dev/cdk.tf.json")!.toString()).toContain('"version": "0.24.0"');
  });

  it.each(["cdktf", "cdktn"] as const)(
    "%s's own CLI synthesizes the app from the one cdktf.json: the stacks `npm run synth` writes for that flavor",
    (framework) => {
      const stacks = cliSynth(framework, work);
      const own = framework === "cdktf" ? cdktf : cdktn;
      const direct = new Map([...own.stacks].filter(([file]) => file.startsWith("stacks/")));

      expect([...stacks.keys()]).toEqual([...direct.keys()]);
      expect([...stacks.keys()].filter((file) => !stacks.get(file)!.equals(direct.get(file)!))).toEqual([]);
    },
    60_000,
  );

  it("the listed differences are real ones: each path holds a different value in the two flavors", () => {
    const at = (files: Map<string, Buffer>, file: string, path: readonly string[]) =>
      path.reduce((json: any, key) => json?.[key], JSON.parse(files.get(file)!.toString()));

    for (const { path, example: file } of ALLOWED_DIFFERENCES) {
      expect({ file, cdktf: at(cdktf.stacks, file, path) }).toEqual({ file, cdktf: expect.stringMatching(/^0\.21\./) });
      expect({ file, cdktn: at(cdktn.stacks, file, path) }).toEqual({ file, cdktn: expect.stringMatching(/^0\.24\./) });
    }
  });
});
