// Cutting a release (scripts/release-cut.cjs): the CHANGELOG's sections, the version the docs show,
// and the record of released commits the upgrade test plans from.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const {
  DOCS_SHOWING_THE_VERSION,
  compareVersions,
  cutChangelog,
  recordRelease,
  releasedChangelog,
  showingVersion,
  versionsShown,
  withDependencyVersion,
} = require("../../scripts/release-cut.cjs");

const CHANGELOG =
  "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n- A thing.\n\n## [0.3.0] - 2026-12-01\n\n### Added\n- An older thing.\n";
const COMMIT = "f4c4976fd5181a2e978cf86d957a7c44a422773e";

describe("cutChangelog", () => {
  it("names the Unreleased section for the version and date, under a new, empty Unreleased section", () => {
    // Act
    const cut = cutChangelog(CHANGELOG, "0.4.0", "2026-12-07");

    // Assert
    expect(cut).toBe(
      "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n## [0.4.0] - 2026-12-07\n\n### Added\n- A thing.\n\n## [0.3.0] - 2026-12-01\n\n### Added\n- An older thing.\n",
    );
  });

  it.each([
    ["an Unreleased section that lists nothing", CHANGELOG.replace("### Added\n- A thing.\n\n", ""), "0.4.0", /lists no change/],
    ["a version it has a section for", CHANGELOG, "0.3.0", /has a \[0\.3\.0\] section already/],
    ["a CHANGELOG without an Unreleased section", "# Changelog\n", "0.4.0", /no ## \[Unreleased\] section/],
  ])("refuses %s", (_, changelog, version, error) => {
    // Act / Assert
    expect(() => cutChangelog(changelog, version, "2026-12-07")).toThrow(error);
  });
});

describe("releasedChangelog: the CHANGELOG in the released tree", () => {
  it("leaves out the empty Unreleased section once the version is cut", () => {
    // Arrange
    const cut = cutChangelog(CHANGELOG, "0.4.0", "2026-12-07");

    // Act
    const released = releasedChangelog(cut, "0.4.0");

    // Assert
    expect(released).not.toContain("[Unreleased]");
    expect(released.match(/^## \[0\.4\.0\]/gm)).toHaveLength(1);
  });

  it("names the Unreleased section for a version not cut yet (a try-out of the next release)", () => {
    // Act
    const released = releasedChangelog(CHANGELOG, "0.4.0");

    // Assert
    expect(released).toContain("## [0.4.0]\n\n### Added\n- A thing.");
    expect(released).not.toContain("[Unreleased]");
  });
});

describe("the version the docs show", () => {
  const source = (v: string) =>
    `source = "https://artifacts.example.com/terraform-aws-image-processing-${v}.tgz"\n# source = "git::https://git.example.com/p/terraform-aws-image-processing.git?ref=v${v}"\n`;

  it("is found in archive names and git tags, and set in both", () => {
    // Act
    const shown = showingVersion(source("0.3.0"), "0.4.0");

    // Assert
    expect(versionsShown(source("0.3.0"))).toEqual(["0.3.0", "0.3.0"]);
    expect(shown).toBe(source("0.4.0"));
  });

  it.each(DOCS_SHOWING_THE_VERSION as string[])("%s shows package.json's version in every module source", (file) => {
    // Arrange
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

    // Act
    const shown = versionsShown(readFileSync(join(ROOT, file), "utf8"));

    // Assert
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(shown.map(() => version));
  });
});

describe("the version the example apps pin", () => {
  it("is set where an app depends on the package, and nothing else changes", () => {
    // Arrange
    const manifest = { name: "app", dependencies: { "cdktf-image-processing": "^0.3.0", cdktf: "0.21.0" } };

    // Act
    const pinned = JSON.parse(withDependencyVersion(JSON.stringify(manifest), "cdktf-image-processing", "0.4.0"));

    // Assert
    expect(pinned).toEqual({ name: "app", dependencies: { "cdktf-image-processing": "^0.4.0", cdktf: "0.21.0" } });
  });

  it("is package.json's in every example app that depends on the package", () => {
    // Arrange
    const { name, version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const apps = readdirSync(join(ROOT, "examples"))
      .filter((dir) => existsSync(join(ROOT, "examples", dir, "package.json")))
      .map((dir) => JSON.parse(readFileSync(join(ROOT, "examples", dir, "package.json"), "utf8")));

    // Act
    const pins = apps.map((app) => app.dependencies?.[name] ?? app.devDependencies?.[name]).filter(Boolean);

    // Assert
    expect(pins.length).toBeGreaterThan(0);
    expect(pins).toEqual(pins.map(() => `^${version}`));
  });
});

describe("recordRelease", () => {
  const record = { releases: [{ version: "0.3.0", date: "2026-12-01", commit: COMMIT }] };

  it("adds the release after the last one", () => {
    // Act
    const next = recordRelease(record, { version: "0.4.0", date: "2026-12-07", commit: "a".repeat(40) });

    // Assert
    expect(next.releases.map((r: { version: string }) => r.version)).toEqual(["0.3.0", "0.4.0"]);
  });

  it.each([
    ["a version recorded already", "0.3.0", COMMIT, /records 0\.3\.0 already/],
    ["a version before the last", "0.2.9", COMMIT, /the last release is 0\.3\.0/],
    ["a short commit id", "0.4.0", "f4c4976", /not a full commit id/],
    ["a version that is not major.minor.patch", "0.4", COMMIT, /major\.minor\.patch/],
  ])("refuses %s", (_, version, commit, error) => {
    // Act / Assert
    expect(() => recordRelease(record, { version, date: "2026-12-07", commit })).toThrow(error);
  });
});

describe("releases.json", () => {
  const { releases } = JSON.parse(readFileSync(join(ROOT, "releases.json"), "utf8"));

  it("records each release once, oldest first, up to package.json's version", () => {
    // Arrange
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const versions: string[] = releases.map((r: { version: string }) => r.version);

    // Assert
    expect(versions.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < versions.length; i++) expect(compareVersions(versions[i], versions[i - 1])).toBeGreaterThan(0);
    expect(compareVersions(version, versions.at(-1)!)).toBeGreaterThanOrEqual(0);
  });

  it("names commits of this repository's history", () => {
    // Act
    const types = releases.map((r: { commit: string }) =>
      execFileSync("git", ["-C", ROOT, "cat-file", "-t", r.commit], { encoding: "utf8" }).trim(),
    );

    // Assert
    expect(types).toEqual(releases.map(() => "commit"));
  });
});
