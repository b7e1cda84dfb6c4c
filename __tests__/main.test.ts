import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { configurationNames, pictureNames } from "./helpers/diagram-svg";

const ROOT = join(__dirname, "..");

/** Runs the README's synth (`npm run synth` = node scripts/synth.mjs) into a fresh folder. */
function synthInto(outdir: string, stateBucket?: string): { files: Map<string, Buffer>; stderr: string } {
  // The module beside the stacks, not in dist/: the suite's two projects synthesize side by side.
  const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, MODULE_OUTDIR: `${outdir}-module` };
  delete env.TF_STATE_BUCKET;
  delete env.TF_STATE_REGION;
  const synth = spawnSync(process.execPath, ["scripts/synth.mjs"], {
    cwd: ROOT,
    env: stateBucket ? { ...env, TF_STATE_BUCKET: stateBucket } : env,
    encoding: "utf8",
  });
  if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(outdir, path), readFileSync(path));
    }
  };
  walk(outdir);
  return { files, stderr: synth.stderr };
}

describe("the app (main.ts)", () => {
  const dirs = [mkdtempSync(join(tmpdir(), "synth-a-")), mkdtempSync(join(tmpdir(), "synth-b-")), mkdtempSync(join(tmpdir(), "synth-c-"))];
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;
  let local: { files: Map<string, Buffer>; stderr: string };

  beforeAll(() => {
    first = synthInto(dirs[0], "my-org-terraform-state").files;
    second = synthInto(dirs[1], "my-org-terraform-state").files;
    local = synthInto(dirs[2]);
  }, 90_000);
  afterAll(() => {
    for (const dir of dirs.flatMap((d) => [d, `${d}-module`])) rmSync(dir, { recursive: true, force: true });
  });

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

  it("keeps state locally without TF_STATE_BUCKET, and says so: no fixed bucket name somebody else may own", () => {
    const stack = (env: string) => JSON.parse(local.files.get(`stacks/image-processing-${env}/cdk.tf.json`)!.toString());

    expect(["dev", "staging", "prod"].map((env) => stack(env).terraform.backend)).toEqual(
      ["dev", "staging", "prod"].map((env) => ({ local: { path: `../../../terraform.image-processing-${env}.tfstate` } })),
    );
    expect([...local.files.values()].some((bytes) => bytes.includes("terraform-state") || bytes.includes(ROOT))).toBe(false);
    expect(local.stderr).toContain("TF_STATE_BUCKET is not set: every stack keeps its Terraform state locally");
  });

  it("warns at synth of each protected environment with nobody to alert, naming the variable to set", () => {
    expect(local.stderr).toContain("NOTIFICATION_EMAIL_STAGING is not set: the staging stack's alarms reach no one");
    expect(local.stderr).toContain("NOTIFICATION_EMAIL_PROD is not set: the prod stack's alarms reach no one");
    expect(local.stderr).toMatch(
      /\[warn\] image-processing-prod \(image-processing-prod\/Pipeline\): The prod pipeline protects its data but its topic has no subscriber/,
    );
    expect(local.stderr).not.toMatch(/NOTIFICATION_EMAIL_DEV|dev pipeline protects/);
  });

  it("protects the data of every environment but the one that opts out (dev)", () => {
    const resources = (env: string) => JSON.parse(first.get(`stacks/image-processing-${env}/cdk.tf.json`)!.toString()).resource;
    const facts = (env: string) => ({
      forceDestroy: (Object.values(resources(env).aws_s3_bucket) as any[]).some((b) => b.force_destroy === true),
      deletionProtection: (Object.values(resources(env).aws_dynamodb_table) as any[])[0].deletion_protection_enabled,
      pointInTimeRecovery: (Object.values(resources(env).aws_dynamodb_table) as any[])[0].point_in_time_recovery.enabled,
    });

    expect(facts("dev")).toEqual({ forceDestroy: true, deletionProtection: false, pointInTimeRecovery: true });
    expect(facts("staging")).toEqual({ forceDestroy: false, deletionProtection: true, pointInTimeRecovery: true });
    expect(facts("prod")).toEqual({ forceDestroy: false, deletionProtection: true, pointInTimeRecovery: true });
  });

  it("gives each environment its own state key", () => {
    const backend = (env: string) => JSON.parse(first.get(`stacks/image-processing-${env}/cdk.tf.json`)!.toString()).terraform.backend.s3;

    expect(["dev", "staging", "prod"].map((env) => backend(env).key)).toEqual([
      "image-processing/dev/terraform.tfstate",
      "image-processing/staging/terraform.tfstate",
      "image-processing/prod/terraform.tfstate",
    ]);
    expect(backend("prod")).toMatchObject({ bucket: "my-org-terraform-state", region: "us-east-1", encrypt: true, use_lockfile: true });
  });

  it("is what the README's Default deployment picture draws: the dev stack's resources, no more, no fewer", () => {
    const dev = JSON.parse(first.get("stacks/image-processing-dev/cdk.tf.json")!.toString());

    expect(pictureNames(readFileSync(join(ROOT, "docs", "diagrams", "default.svg"), "utf8"))).toEqual(configurationNames(dev));
  });
});
