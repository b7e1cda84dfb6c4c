// Cutting a release (`npm run release -- --cut <version>`), the decisions without the I/O: the
// CHANGELOG's Unreleased section named for the version, the version the docs show, and the record
// of released commits (releases.json) that the upgrade test plans from. CommonJS so that jest and
// scripts/release.mjs both load it.
"use strict";

const MODULE = "terraform-aws-image-processing";

/** `[major, minor, patch]` of `x.y.z`, or a clear error. */
function parseVersion(version) {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(String(version));
  if (!match) throw new Error(`--cut ${version}: a version is major.minor.patch, such as 0.4.0`);
  return match.slice(1).map(Number);
}

/** Negative, zero or positive as `a` is before, the same as, or after `b`. */
function compareVersions(a, b) {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * The CHANGELOG with its Unreleased section named `[version] - date`, under a new, empty
 * Unreleased section. Refuses an Unreleased section with nothing in it: a release says what it changes.
 */
function cutChangelog(changelog, version, date) {
  const heading = "## [Unreleased]";
  const start = changelog.indexOf(heading);
  if (start < 0) throw new Error("CHANGELOG.md has no ## [Unreleased] section to release");
  const rest = changelog.slice(start + heading.length);
  const next = rest.search(/^## \[/m);
  const body = next < 0 ? rest : rest.slice(0, next);
  if (!/^- /m.test(body)) throw new Error("CHANGELOG.md's Unreleased section lists no change: nothing to release");
  if (changelog.includes(`## [${version}]`)) throw new Error(`CHANGELOG.md has a [${version}] section already`);
  return `${changelog.slice(0, start)}${heading}\n\n## [${version}] - ${date}${rest}`;
}

/**
 * The CHANGELOG as the released tree holds it: once the version is cut, without the empty
 * Unreleased section above it; before (a try-out of the next version), its Unreleased section
 * named for the version.
 */
function releasedChangelog(changelog, version) {
  if (changelog.includes(`## [${version}]`)) return changelog.replace(/^## \[Unreleased\]\n+(?=## \[)/m, "");
  if (!changelog.includes("## [Unreleased]")) throw new Error("CHANGELOG.md has no ## [Unreleased] section to release");
  return changelog.replace("## [Unreleased]", `## [${version}]`);
}

/** The documents that show a module source with the released version. */
const DOCS_SHOWING_THE_VERSION = ["README.md", "docs/module.md", "docs/derivatives.md"];

/** Where a document shows a released version: the archive's name and the git tag in module sources. */
const SHOWN_VERSION = new RegExp(`${MODULE}-(\\d+\\.\\d+\\.\\d+)\\.tgz|${MODULE}\\.git\\?ref=v(\\d+\\.\\d+\\.\\d+)`, "g");

/** The versions a document shows in module sources, in order. */
function versionsShown(text) {
  return [...text.matchAll(SHOWN_VERSION)].map((m) => m[1] ?? m[2]);
}

/** The document with every module source showing `version`. */
function showingVersion(text, version) {
  return text.replace(SHOWN_VERSION, (_match, archive) => (archive ? `${MODULE}-${version}.tgz` : `${MODULE}.git?ref=v${version}`));
}

/** A package.json's text with its dependency on `name` (if any) set to `^version`, as the example apps pin the package. */
function withDependencyVersion(manifest, name, version) {
  const json = JSON.parse(manifest);
  for (const field of ["dependencies", "devDependencies"]) if (json[field]?.[name]) json[field][name] = `^${version}`;
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * The record of releases with `version` released at `commit`: refused when the version is
 * recorded already or is not after the last one recorded.
 */
function recordRelease(record, { version, date, commit }) {
  const releases = record.releases ?? [];
  if (releases.some((r) => r.version === version)) throw new Error(`releases.json records ${version} already`);
  const last = releases.at(-1);
  if (last && compareVersions(version, last.version) <= 0)
    throw new Error(`--cut ${version}: the last release is ${last.version}; a release comes after it`);
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`not a full commit id: ${commit}`);
  return { ...record, releases: [...releases, { version, date, commit }] };
}

module.exports = {
  MODULE,
  DOCS_SHOWING_THE_VERSION,
  compareVersions,
  cutChangelog,
  releasedChangelog,
  versionsShown,
  showingVersion,
  withDependencyVersion,
  recordRelease,
};
