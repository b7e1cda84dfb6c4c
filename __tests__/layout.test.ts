// The repository's conventions, checked: each unit test is named after the source file it tests
// (`__tests__/<path>.test.ts` for `<path>.ts`, or `<path>.<aspect>.test.ts` for one aspect of it),
// no source file is over 300 lines, and no file of the construct library imports a floor above its own.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = join(__dirname, "..");
const SOURCE_FOLDERS = ["constructs", "functions", "cli", "scripts"];
/** Suites that test the whole rather than a file: they carry their own names. */
const WHOLE_SYSTEM = ["integration", "deploy", "package", "bench", "differential", "security", "terraform-module", "docs"];
const files = (dir: string) => readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" }).map((file) => join(dir, file));
const sources = [
  ...SOURCE_FOLDERS.flatMap(files).filter((file) => /\.(ts|mjs|cjs)$/.test(file) && !file.includes("node_modules")),
  "main.ts",
];

/**
 * The construct library's floors, top first: a file may import its own floor and those below, never
 * one above (type-only imports included: they tie the lower file to the upper one's shape). A path
 * is on the floor of the longest prefix that names it.
 */
const FLOORS: readonly (readonly string[])[] = [
  // The stacks that wrap the pipeline, and the package's entry, which exports everything.
  ["constructs/shipping/", "constructs/index.ts"],
  // The composition root.
  ["constructs/image-processing-pipeline.ts"],
  // One construct per AWS concern.
  ["constructs/parts/"],
  // What the parts stand on: settings, names and addresses (the alarm catalog among them). One floor:
  // the name-length rule reads the names, and the alarm catalog the thresholds' type.
  ["constructs/config/", "constructs/naming/"],
  // Helpers of every floor above: tokens, policy documents, zips, the configuration error.
  ["constructs/support/"],
];

/** The floor of a file under constructs/ (0 the top), by the longest prefix in FLOORS that names it. */
function floorOf(file: string): number {
  let best = { floor: -1, length: -1 };
  FLOORS.forEach((prefixes, floor) => {
    for (const prefix of prefixes) if (file.startsWith(prefix) && prefix.length > best.length) best = { floor, length: prefix.length };
  });
  if (best.floor < 0) throw new Error(`${file} is on no floor: add its folder to FLOORS`);
  return best.floor;
}

/** Every import of a file under constructs/ that reaches a floor above its own, as `from -> to`. */
function upwardImports(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)"(\.[^"]+)"/g)].map((m) => m[1]);
  return specifiers
    .map((specifier) => relative(ROOT, join(ROOT, dirname(file), specifier)).replace(/\\/g, "/"))
    .map((target) => (target.endsWith(".ts") ? target : `${target}.ts`))
    .filter((target) => target.startsWith("constructs/") && floorOf(target) < floorOf(file))
    .map((target) => `${file} -> ${target}`);
}

describe("the repository's layout", () => {
  it("names every unit test after the source file it tests", () => {
    const tests = files("__tests__").filter((file) => file.endsWith(".test.ts") && !WHOLE_SYSTEM.includes(file.split("/")[1]));
    const stems = new Set(sources.map((file) => file.replace(/\.(ts|mjs|cjs)$/, "")));

    const unnamed = tests.filter((test) => {
      const stem = test.replace(/^__tests__\//, "").replace(/\.test\.ts$/, "");
      return !stems.has(stem) && !stems.has(stem.replace(/\.[\w-]+$/, "")) && test !== "__tests__/layout.test.ts";
    });

    expect(tests.length).toBeGreaterThan(50);
    expect(unnamed).toEqual([]);
  });

  it("keeps every source file to 300 lines", () => {
    const long = sources
      .map((file) => [file, readFileSync(join(ROOT, file), "utf8").split("\n").length - 1] as const)
      .filter(([, lines]) => lines > 300);

    expect(sources.length).toBeGreaterThan(100);
    expect(long).toEqual([]);
  });

  it("keeps every file of the construct library on its floor: nothing imports upward, nothing below imports shipping/", () => {
    const library = sources.filter((file) => file.startsWith("constructs/"));

    const upward = library.flatMap((file) => upwardImports(file, readFileSync(join(ROOT, file), "utf8")));

    expect(library.length).toBeGreaterThan(60);
    expect(upward).toEqual([]);
  });

  it("sees an upward import, a type-only one too", () => {
    expect(upwardImports("constructs/parts/x.ts", 'import type { A } from "../shipping/y";\nimport { B } from "./z";')).toEqual([
      "constructs/parts/x.ts -> constructs/shipping/y.ts",
    ]);
    expect(upwardImports("constructs/config/x.ts", 'export { A } from "../parts/monitoring";')).toEqual([
      "constructs/config/x.ts -> constructs/parts/monitoring.ts",
    ]);
  });
});
