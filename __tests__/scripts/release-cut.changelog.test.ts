// The CHANGELOG as `npm run release` cuts it (scripts/release-cut.cjs, releasedChangelog): the Unreleased
// section becomes the version's, so it must already read as a release does — one heading per category,
// in Keep a Changelog's order with Breaking first (CONTRIBUTING, "The changelog").
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const CATEGORIES = ["Breaking", "Added", "Changed", "Deprecated", "Fixed", "Security"];

const { compareVersions, releasedChangelog: released } = require("../../scripts/release-cut.cjs");

/** The `### ` headings of the `## [version]` section, in order. */
const headingsOf = (changelog: string, version: string): string[] => {
  const start = changelog.indexOf(`## [${version}]`);
  const end = changelog.indexOf("\n## [", start + 1);
  const section = changelog.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^### (.*)$/gm)].map((m) => m[1]);
};

/** The `## [x.y.z] - date` headings, in the file's order. */
const releases = (changelog: string) =>
  [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/gm)].map((m) => ({ version: m[1], date: m[2] }));

describe("the CHANGELOG a release cuts", () => {
  const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");

  it("gives the next version one heading per category, in order, Breaking first (the newest release's, right after a cut)", () => {
    // Right after a cut the Unreleased section lists nothing yet: the release just cut is the one to read.
    const next = released(changelog, "99.0.0");
    const pending = headingsOf(next, "99.0.0");
    const newest = releases(changelog)[0].version;

    const headings = pending.length > 0 ? pending : headingsOf(changelog, newest);

    expect(headings.length).toBeGreaterThan(0);
    expect(headings).toEqual(CATEGORIES.filter((category) => headings.includes(category)));
  });

  it("lists the releases newest first, each with its date", () => {
    const found = releases(changelog);

    const newestFirst = [...found].sort((a, b) => compareVersions(b.version, a.version));

    expect(found.map((r) => r.version)).toEqual(expect.arrayContaining(["0.3.0", "0.2.0", "0.1.0"]));
    expect(found).toEqual(newestFirst);
    expect(found.map((r) => r.date)).toEqual([...found.map((r) => r.date)].sort().reverse());
  });
});
