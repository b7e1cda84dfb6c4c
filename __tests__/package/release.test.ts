import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { unzipSync } from "fflate";
import { providerMirror } from "../deploy/terraform";

const ROOT = join(__dirname, "..", "..");
const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const NAME = "terraform-aws-image-processing";
const { listsUnreleasedChanges } = require("../../scripts/release-cut.cjs");

/** `npm run release` into `out` (the tree may hold this change's uncommitted work while it is written). */
const release = (out: string, ...args: string[]) =>
  execFileSync(process.execPath, [join(ROOT, "scripts", "release.mjs"), "--out", out, ...args], {
    cwd: ROOT,
    env: { ...process.env, RELEASE_ALLOW_DIRTY: "1" },
    encoding: "utf8",
  });

/** Terraform's environment for a consumer of the release: providers from the offline mirror (when there is one), nothing else. */
function terraformEnv(work: string): NodeJS.ProcessEnv {
  const mirror = providerMirror();
  const rc = join(work, "terraform.rc");
  writeFileSync(rc, mirror ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n` : "");
  return { PATH: process.env.PATH, HOME: process.env.HOME, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
}

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

  it("names the release's version in the changelog, and keeps an Unreleased section only for changes made since that version was cut", () => {
    const repository = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");
    const changelog = readFileSync(join(moduleDir, "CHANGELOG.md"), "utf8");
    // Before the cut the Unreleased section is the version's; after it, an Unreleased section that lists
    // something holds what this tree has beyond the version (scripts/release-cut.cjs, releasedChangelog).
    const cut = repository.includes(`## [${version}]`);

    expect(changelog).toContain(`## [${version}]`);
    expect(changelog.match(new RegExp(`^## \\[${version.replaceAll(".", "\\.")}\\]`, "gm"))).toHaveLength(1);
    expect(changelog.includes("## [Unreleased]")).toBe(cut && listsUnreleasedChanges(repository));
  });

  it("holds no path of the machine that built it", () => {
    const text = filesUnder(out).filter((f) => !f.includes(`${join(out, "git")}/`) && /\.(json|md|hcl|tf)$/.test(f));
    const leaking = text.filter((f) => {
      const body = readFileSync(f, "utf8");
      return body.includes(ROOT) || body.includes(tmpdir());
    });

    expect(leaking.map((f) => relative(out, f))).toEqual([]);
  });

  it("names no npm command and no file outside the released tree (the changelog, the project's history, aside)", () => {
    const texts = filesUnder(moduleDir).filter(
      (f) => /\.(md|tf|hcl|json)$/.test(f) && !f.endsWith(".cdx.json") && !f.endsWith("CHANGELOG.md"),
    );
    const found: string[] = [];
    for (const file of texts) {
      const body = readFileSync(file, "utf8");
      const where = relative(moduleDir, file);
      for (const m of body.matchAll(/\b(?:npm|npx|yarn|pnpm) +[a-z]+/g)) found.push(`${where}: command ${m[0]}`);
      // The project's CLI is no instruction for a team without Node: not in the READMEs' own words or the examples
      // (the module's alarm and input descriptions, which the reference tables quote, name it as one way).
      const prose = body.replace(/<!-- BEGIN_TF_DOCS -->[\s\S]*<!-- END_TF_DOCS -->/, "");
      if (/\.md$|^examples\//.test(where))
        for (const m of prose.matchAll(/\bimage-pipeline +[a-z]+/g)) found.push(`${where}: command ${m[0]}`);
      // Relative references: Markdown links, module sources, paths in backticks.
      for (const m of body.matchAll(/(?:\]\(|source\s*=\s*"|`)(\.{1,2}\/[^)"`\s?#]*)/g)) {
        const target = join(dirname(file), m[1]);
        if (relative(moduleDir, target).startsWith("..") || !existsSync(target)) found.push(`${where}: path ${m[1]}`);
      }
      // Folders of the project that builds the module, which the release does not hold.
      for (const m of body.matchAll(/(?<![\w./-])(?:dist|docs|scripts|constructs|cli|functions|__tests__)\/[\w./-]*/g))
        found.push(`${where}: path ${m[0]}`);
    }

    expect(texts.map((f) => relative(moduleDir, f))).toEqual(
      expect.arrayContaining(["README.md", "examples/basic/README.md", "examples/basic/main.tf"]),
    );
    expect(found).toEqual([]);
  });

  it("validates every example against the released module (terraform validate, the provider from the offline mirror)", () => {
    const dir = join(work, "validate");
    cpSync(moduleDir, dir, { recursive: true });
    // One copy of the provider for the three inits.
    const env = { ...terraformEnv(work), TF_PLUGIN_CACHE_DIR: join(work, "plugin-cache") };
    mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true });
    const examples = readdirSync(join(dir, "examples")).sort();
    const results = examples.map((example) => {
      const root = join(dir, "examples", example);
      execFileSync("terraform", ["init", "-no-color", "-input=false", "-backend=false"], { cwd: root, env, stdio: "pipe" });
      const validate = spawnSync("terraform", ["validate", "-json", "-no-color"], { cwd: root, env, encoding: "utf8" });
      const { valid, error_count, diagnostics } = JSON.parse(validate.stdout);
      return { example, valid, error_count, errors: diagnostics.filter((d: any) => d.severity === "error").map((d: any) => d.summary) };
    });

    expect(examples).toEqual(["basic", "existing-bucket-own-key", "two-instances"]);
    expect(results).toEqual(examples.map((example) => ({ example, valid: true, error_count: 0, errors: [] })));
  }, 180_000);

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

  it("lists in each SBOM exactly the installed packages its zip holds, and each package the zip holds beside the bundle", () => {
    // Both ways: a component the zip does not hold (an optional package npm left out, such as
    // @img/sharp-wasm32) is a false claim; a package folder the SBOM leaves out is an unlisted one.
    const zips = filesUnder(moduleDir).filter((f) => f.endsWith(".zip"));
    const installedIn = (zip: string) =>
      Object.keys(unzipSync(readFileSync(zip), { filter: (f) => /(^|\/)node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(f.name) }))
        .map((file) => file.replace(/\/package\.json$/, ""))
        .sort();
    const listedIn = (zip: string) => {
      const bom = JSON.parse(readFileSync(`${zip}.cdx.json`, "utf8"));
      return bom.components
        .flatMap((c: any) => (c.properties ?? []).filter((p: any) => p.name === "cdx:npm:package:path").map((p: any) => p.value))
        .sort();
    };

    const derivatives = zips.find((zip) => zip.endsWith("image-derivatives.zip"))!;
    expect(zips).toHaveLength(2);
    expect(installedIn(derivatives)).toEqual(expect.arrayContaining(["node_modules/sharp", "node_modules/@img/sharp-linux-arm64"]));
    for (const zip of zips) expect({ zip, listed: listedIn(zip) }).toEqual({ zip, listed: installedIn(zip) });
  });

  it("is the same archive, byte for byte, and the same release commit, when made again", () => {
    const again = join(work, "second");
    release(again);
    const head = (dir: string) => execFileSync("git", ["-C", join(dir, "git"), "rev-parse", "main"], { encoding: "utf8" }).trim();

    expect(readFileSync(join(again, `${NAME}-${version}.tgz`)).equals(readFileSync(join(out, `${NAME}-${version}.tgz`)))).toBe(true);
    expect(head(again)).toBe(head(out));
  }, 120_000);

  it("puts the next release on top of the previous one (--previous), so one module repository's main fast-forwards and holds both tags", () => {
    // Arrange: the module's repository, as a maintainer's remote, holding the first release.
    const remote = join(work, "module.git");
    const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: "pipe" }).trim();
    execFileSync("git", ["init", "-q", "--bare", "-b", "main", remote]);
    const push = (dir: string) => git(dir, "push", "--porcelain", "--follow-tags", remote, "main");
    push(join(out, "git"));
    const first = git(remote, "rev-parse", "main");

    // Act: the next version released from that remote's history, and pushed over the first.
    const next = join(work, "next");
    const nextVersion = `${version}-next.1`;
    release(next, "--version", nextVersion, "--previous", remote);
    const pushed = push(join(next, "git"));

    // Assert: a fast-forward (porcelain's " " flag, not "+" forced or "!" rejected) to a commit whose parent is the first release's.
    const second = git(remote, "rev-parse", "main");
    expect(pushed).toContain(`\trefs/heads/main:refs/heads/main\t${first.slice(0, 7)}`);
    expect(pushed).toMatch(/^ \trefs\/heads\/main:refs\/heads\/main\t/m);
    expect(git(remote, "rev-list", "--parents", "-n", "1", second).split(" ")).toEqual([second, first]);
    expect(git(remote, "tag", "--list").split("\n").sort()).toEqual([`v${nextVersion}`, `v${version}`].sort());
    expect(git(remote, "rev-parse", `v${version}^{commit}`)).toBe(first);
    expect(git(remote, "rev-parse", `v${nextVersion}^{commit}`)).toBe(second);
    // Two different trees, each its release's: the second's is its own module folder, file for file.
    expect(git(remote, "rev-parse", `${first}^{tree}`)).not.toBe(git(remote, "rev-parse", `${second}^{tree}`));
    expect(git(remote, "ls-tree", "-r", "--name-only", second).split("\n").sort()).toEqual(
      filesUnder(join(next, NAME))
        .map((f) => relative(join(next, NAME), f))
        .sort(),
    );
  }, 120_000);

  it("refuses to release a version the previous release repository already has", () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, "scripts", "release.mjs"), "--out", join(work, "again"), "--previous", join(out, "git")],
      {
        cwd: ROOT,
        env: { ...process.env, RELEASE_ALLOW_DIRTY: "1" },
        encoding: "utf8",
      },
    );

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`has released v${version} already`);
    expect(existsSync(join(out, "git", ".git"))).toBe(true);
  });

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
    const env = terraformEnv(work);
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
