import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..");

/** Runs the README's synth (`npm run synth` = node scripts/synth.mjs) into a fresh folder. */
function synthInto(outdir: string): Map<string, Buffer> {
  execFileSync(process.execPath, ["scripts/synth.mjs"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    stdio: "pipe",
  });
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(outdir, path), readFileSync(path));
    }
  };
  walk(outdir);
  return files;
}

describe("the app (main.ts)", () => {
  const dirs = [mkdtempSync(join(tmpdir(), "synth-a-")), mkdtempSync(join(tmpdir(), "synth-b-"))];
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;

  beforeAll(() => {
    first = synthInto(dirs[0]);
    second = synthInto(dirs[1]);
  }, 60_000);
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("synthesizes one stack per environment", () => {
    const stacks = [...first.keys()].filter((file) => file.endsWith("cdk.tf.json")).sort();

    expect(stacks).toEqual([
      "stacks/image-processing-dev/cdk.tf.json",
      "stacks/image-processing-prod/cdk.tf.json",
      "stacks/image-processing-staging/cdk.tf.json",
    ]);
  });

  it("is byte-identical when synthesized twice", () => {
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) {
      expect({ file, same: bytes.equals(second.get(file)!) }).toEqual({ file, same: true });
    }
  });

  it("writes no absolute path of the build machine", () => {
    const leaks = [...first.entries()]
      .filter(([, bytes]) => [ROOT, dirs[0], tmpdir(), process.env.HOME ?? ROOT].some((path) => bytes.includes(path)))
      .map(([file]) => file);

    expect(leaks).toEqual([]);
  });

  it("gives each environment its own state key", () => {
    const backend = (env: string) =>
      JSON.parse(first.get(`stacks/image-processing-${env}/cdk.tf.json`)!.toString()).terraform.backend.s3;

    expect(["dev", "staging", "prod"].map((env) => backend(env).key)).toEqual([
      "image-processing/dev/terraform.tfstate",
      "image-processing/staging/terraform.tfstate",
      "image-processing/prod/terraform.tfstate",
    ]);
    expect(backend("prod")).toMatchObject({ encrypt: true, use_lockfile: true });
  });
});
