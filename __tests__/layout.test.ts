// The repository's conventions, checked: each unit test is named after the source file it tests
// (`__tests__/<path>.test.ts` for `<path>.ts`, or `<path>.<aspect>.test.ts` for one aspect of it),
// and no source file is over 300 lines.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const SOURCE_FOLDERS = ["constructs", "functions", "cli", "scripts"];
/** Suites that test the whole rather than a file: they carry their own names. */
const WHOLE_SYSTEM = ["integration", "deploy", "package", "bench", "differential", "security", "terraform-module", "docs"];
const files = (dir: string) => readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" }).map((file) => join(dir, file));
const sources = [
  ...SOURCE_FOLDERS.flatMap(files).filter((file) => /\.(ts|mjs|cjs)$/.test(file) && !file.includes("node_modules")),
  "main.ts",
];

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
});
