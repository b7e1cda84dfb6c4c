import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { providerMirror } from "../deploy/terraform";

const ROOT = join(__dirname, "..", "..");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const NAME = "terraform-aws-image-processing";

/** `npm run release` into `out` (the tree may hold this change's uncommitted work while it is written). */
const release = (out: string) =>
  execFileSync(process.execPath, [join(ROOT, "scripts", "release.mjs"), "--out", out], {
    cwd: ROOT,
    env: { ...process.env, RELEASE_ALLOW_DIRTY: "1" },
    encoding: "utf8",
  });

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

describe("npm run release", () => {
  const work = mkdtempSync(join(tmpdir(), "release-"));
  const out = join(work, "first");
  const moduleDir = join(out, NAME);
  beforeAll(() => release(out), 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("lays the module out in Terraform's standard structure, with its licence, changelog, examples, child module and tests", () => {
    const top = readdirSync(moduleDir).sort();

    expect(top).toEqual(
      [
        "CHANGELOG.md",
        "LICENSE",
        "README.md",
        "assets",
        "examples",
        "modules",
        "tests",
        ...["versions.tf", "variables.tf", "main.tf", "iam.tf", "monitoring.tf", "outputs.tf", "moved.tf", "storage.tf"],
        ...["delivery.tf", "derivatives.tf", "keys.tf", "metadata.tf", "notifications.tf", "processor.tf"],
      ].sort(),
    );
    // HCL only: no cdktf JSON and no cdktf metadata in what consumers read.
    const configuration = filesUnder(moduleDir).filter((f) => !f.includes("/examples/") && !f.includes("/tests/"));
    expect(configuration.filter((f) => f.endsWith(".tf.json"))).toEqual([]);
    expect(configuration.filter((f) => f.endsWith(".tf") && readFileSync(f, "utf8").includes('"//"'))).toEqual([]);
    expect(readdirSync(join(moduleDir, "modules", "derivatives")).filter((f) => f.endsWith(".tf"))).toEqual(
      expect.arrayContaining(["versions.tf", "variables.tf", "main.tf", "outputs.tf", "moved.tf"]),
    );
    expect(readdirSync(join(moduleDir, "tests")).sort()).toEqual(["module.tftest.hcl", "validation.tftest.hcl"]);
    expect(readFileSync(join(moduleDir, "LICENSE"), "utf8")).toBe(readFileSync(join(ROOT, "LICENSE"), "utf8"));
    expect(readFileSync(join(moduleDir, "versions.tf"), "utf8")).toMatch(/^\s+required_version = ">= 1\.9"$/m);
    for (const example of readdirSync(join(moduleDir, "examples"))) {
      expect(readFileSync(join(moduleDir, "examples", example, "main.tf"), "utf8")).toMatch(/source\s+= "\.\.\/\.\.\/"/);
    }
  });

  it("names the release's version in the changelog, where the repository says Unreleased", () => {
    const changelog = readFileSync(join(moduleDir, "CHANGELOG.md"), "utf8");

    expect(changelog).toContain(`## [${version}]`);
    expect(changelog).not.toContain("## [Unreleased]");
    expect(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8")).toContain("## [Unreleased]");
  });

  it("holds no path of the machine that built it", () => {
    const text = filesUnder(out).filter((f) => !f.includes(`${join(out, "git")}/`) && /\.(json|md|hcl|tf)$/.test(f));
    const leaking = text.filter((f) => {
      const body = readFileSync(f, "utf8");
      return body.includes(ROOT) || body.includes(tmpdir());
    });

    expect(leaking.map((f) => relative(out, f))).toEqual([]);
  });

  it("writes an archive and SHA256SUMS that check, covering the archive, each function zip and its SBOM", () => {
    const sums = readFileSync(join(out, "SHA256SUMS"), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split("  ")[1]);
    const check = spawnSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: out, encoding: "utf8" });

    expect(check.status).toBe(0);
    expect(sums[0]).toBe(`${NAME}-${version}.tgz`);
    const zips = sums.filter((f) => f.endsWith(".zip"));
    expect(zips.map((z) => z.split("/").pop()).sort()).toEqual(["image-derivatives.zip", "image-processor.zip"]);
    for (const zip of zips) expect(sums).toContain(`${zip}.cdx.json`);
  });

  it("describes what each zip runs in a CycloneDX SBOM: the bundled packages, and sharp's linux-arm64 runtime for derivatives", () => {
    const sbom = (fn: string) => JSON.parse(readFileSync(filesUnder(moduleDir).find((f) => f.endsWith(`${fn}.zip.cdx.json`))!, "utf8"));
    const names = (bom: any) => bom.components.map((c: any) => (c.group ? `${c.group}/${c.name}` : c.name));
    const processor = sbom("image-processor");
    const derivatives = sbom("image-derivatives");

    expect(processor).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.6" });
    expect(names(processor)).toEqual(expect.arrayContaining(["@aws-sdk/client-s3", "@aws-lambda-powertools/logger"]));
    expect(names(processor)).not.toContain("sharp");
    expect(names(derivatives)).toEqual(expect.arrayContaining(["sharp", "@img/sharp-linux-arm64", "@img/sharp-libvips-linux-arm64"]));
    expect(names(derivatives).filter((n: string) => /x64|darwin|win32|musl/.test(n))).toEqual([]);
  });

  it("is the same archive, byte for byte, when made again", () => {
    const again = join(work, "second");
    release(again);

    expect(readFileSync(join(again, `${NAME}-${version}.tgz`)).equals(readFileSync(join(out, `${NAME}-${version}.tgz`)))).toBe(true);
  }, 120_000);

  it("keeps a repository of only the released tree, tagged v<version>, for git:: sources", () => {
    const git = (...args: string[]) => execFileSync("git", ["-C", join(out, "git"), ...args], { encoding: "utf8" });
    const tracked = git("ls-tree", "-r", "--name-only", `v${version}`).trim().split("\n").sort();

    expect(git("tag").trim()).toBe(`v${version}`);
    expect(tracked).toEqual(
      filesUnder(moduleDir)
        .map((f) => relative(moduleDir, f))
        .sort(),
    );
  });

  it("passes its own terraform test: refusals, derivatives and EventBridge delivery only when asked, an existing bucket left alone, tags, outputs (mocked provider, no credentials)", () => {
    // A copy, so init's files stay out of the released tree.
    const dir = join(work, "terraform-test");
    cpSync(moduleDir, dir, { recursive: true });
    const mirror = providerMirror();
    const rc = join(work, "terraform.rc");
    writeFileSync(rc, mirror ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n` : "");
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    execFileSync("terraform", ["init", "-no-color", "-input=false"], { cwd: dir, env, stdio: "pipe" });

    const result = spawnSync("terraform", ["test", "-no-color"], { cwd: dir, env, encoding: "utf8" });

    // Every run block of the released tests ran and passed.
    const runs = readdirSync(join(dir, "tests"))
      .map((file) => readFileSync(join(dir, "tests", file), "utf8").match(/^run "/gm)?.length ?? 0)
      .reduce((sum, count) => sum + count, 0);
    expect(runs).toBeGreaterThan(30);
    expect(result.stdout).toContain(`Success! ${runs} passed, 0 failed.`);
    expect(result.status).toBe(0);
    expect(existsSync(join(moduleDir, ".terraform"))).toBe(false);
    expect(statSync(join(out, `${NAME}-${version}.tgz`)).size).toBeLessThan(15_000_000);
  }, 180_000);
});
