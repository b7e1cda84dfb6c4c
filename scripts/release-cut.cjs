// Cutting a release (`npm run release -- --cut <version>`), the decisions without the I/O: the
// CHANGELOG's Unreleased section named for the version, the version the docs show, and the record
// of released commits (releases.json) that the upgrade test plans from. CommonJS so that jest and
// scripts/release.mjs both load it.
"use strict";

/** The released module's name: its archive, its folder in the release and its repository. */
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

const UNRELEASED = "## [Unreleased]";

/** Where the Unreleased section is: its heading's offset and its body (up to the next version's heading). */
function unreleasedSection(changelog) {
  const start = changelog.indexOf(UNRELEASED);
  if (start < 0) throw new Error("CHANGELOG.md has no ## [Unreleased] section");
  const rest = changelog.slice(start + UNRELEASED.length);
  const next = rest.search(/^## \[/m);
  return { start, rest, body: next < 0 ? rest : rest.slice(0, next) };
}

/** Whether the Unreleased section lists a change (a bullet): what a release would say it changes. */
const listsUnreleasedChanges = (changelog) => /^- /m.test(unreleasedSection(changelog).body);

/**
 * The CHANGELOG with its Unreleased section named `[version] - date`, under a new, empty
 * Unreleased section. Refuses an Unreleased section with nothing in it: a release says what it changes.
 */
function cutChangelog(changelog, version, date) {
  const { start, rest } = unreleasedSection(changelog);
  if (!listsUnreleasedChanges(changelog)) throw new Error("CHANGELOG.md's Unreleased section lists no change: nothing to release");
  if (changelog.includes(`## [${version}]`)) throw new Error(`CHANGELOG.md has a [${version}] section already`);
  return `${changelog.slice(0, start)}${UNRELEASED}\n\n## [${version}] - ${date}${rest}`;
}

/**
 * The CHANGELOG as the released tree holds it. Once the version is cut: without an Unreleased
 * section that lists nothing (one that lists changes is what the tree holds beyond the version).
 * Before (a try-out of the next version): its Unreleased section named for the version.
 */
function releasedChangelog(changelog, version) {
  const { start, body } = unreleasedSection(changelog);
  if (!changelog.includes(`## [${version}]`)) return changelog.replace(UNRELEASED, `## [${version}]`);
  if (listsUnreleasedChanges(changelog)) return changelog;
  return changelog.slice(0, start) + changelog.slice(start + UNRELEASED.length + body.length).replace(/^\n+/, "");
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

/** Refuses a version the record holds already, or one not after the last it holds. */
function assertReleasable(record, version) {
  const releases = record.releases ?? [];
  if (releases.some((r) => r.version === version)) throw new Error(`releases.json records ${version} already`);
  const last = releases.at(-1);
  if (last && compareVersions(version, last.version) <= 0)
    throw new Error(`--cut ${version}: the last release is ${last.version}; a release comes after it`);
}

/** The record of releases with `version` released at `commit` (a version it may take; see assertReleasable). */
function recordRelease(record, { version, date, commit }) {
  assertReleasable(record, version);
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`not a full commit id: ${commit}`);
  return { ...record, releases: [...(record.releases ?? []), { version, date, commit }] };
}

module.exports = {
  MODULE,
  DOCS_SHOWING_THE_VERSION,
  compareVersions,
  cutChangelog,
  releasedChangelog,
  listsUnreleasedChanges,
  versionsShown,
  showingVersion,
  withDependencyVersion,
  assertReleasable,
  recordRelease,
};
