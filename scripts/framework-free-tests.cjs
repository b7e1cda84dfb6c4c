// Unit tests that load neither cdktf nor CDK Terrain, found by following each test's relative
// imports: the cdktn flavor of the unit suite (jest.config.js) leaves them to the cdktf one, since
// they would run the same code twice.
const { existsSync, readFileSync, readdirSync, statSync } = require("node:fs");
const { dirname, join, relative, resolve } = require("node:path");

const FRAMEWORK_MODULES = /(?:from\s+|require\(\s*|import\(\s*)["'](?:cdktf|cdktn|@cdktf\/[^"']+|@cdktn\/[^"']+|constructs)["']/;
/** A test that runs the app or the synth in a child process: the child loads the flavor's framework (CDK_FRAMEWORK). */
const RUNS_THE_APP = /scripts\/synth\.mjs|scripts", "synth\.mjs|\bcdktf\.json\b/;
const RELATIVE_IMPORTS = /(?:from\s+|require\(\s*|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** The file a relative specifier names, as TypeScript and Node resolve it here. */
function resolveSpecifier(from, specifier) {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.js`, `${base}.cjs`, join(base, "index.ts"), join(base, "index.js")].find(
    (file) => existsSync(file) && statSync(file).isFile(),
  );
}

/** Whether `file`, or anything it imports by a relative path, imports the framework. */
function usesFramework(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  if (FRAMEWORK_MODULES.test(text) || RUNS_THE_APP.test(text)) return true;
  for (const [, specifier] of text.matchAll(RELATIVE_IMPORTS)) {
    const target = resolveSpecifier(file, specifier);
    if (target && /\.(ts|js|cjs)$/.test(target) && usesFramework(target, seen)) return true;
  }
  return false;
}

/** Test files under `dir` (relative to `root`) that never load a framework. */
function frameworkFreeTests(root, dir) {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => join(root, dir, file))
    .filter((file) => !usesFramework(file))
    .map((file) => relative(root, file))
    .sort();
}

module.exports = { frameworkFreeTests, usesFramework };
