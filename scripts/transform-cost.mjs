// What a cold unit suite (`jest --no-cache`) adds to a warm one: transforming the TypeScript it loads.
// Measured here in a fresh process: every .ts file of the folders the suite loads, through the
// transformer jest.base.config.js names, with its options, once. npm run bench sets it against the
// cold suite's wall time (scripts/bench.mjs).
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./build.mjs";

/** The folders whose TypeScript the unit suite loads: its tests and the sources they import. */
const SUITE_FOLDERS = ["__tests__", "cli", "constructs", "functions"];

const probe = `
const { readFileSync } = require("node:fs");
const files = JSON.parse(process.argv[1]);
const [pattern, [name, options]] = Object.entries(require("./jest.base.config.js").transform)[0];
const transformer = require(name).createTransformer(options);
const start = process.hrtime.bigint();
for (const file of files.filter((f) => new RegExp(pattern).test(f)))
  transformer.process(readFileSync(file, "utf8"), file, { config: { cwd: process.cwd() }, cacheFS: new Map(), transformerConfig: options });
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;

/** Every TypeScript source the suite may load (declarations aside). */
export const suiteTypeScript = () =>
  SUITE_FOLDERS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !file.includes("node_modules"))
      .map((file) => join(ROOT, dir, file)),
  );

/** Milliseconds to transform `files` once, in a fresh process (environment `env`), as jest does on a cold cache. */
export const transformMs = (files, env) =>
  Number(execFileSync(process.execPath, ["-e", probe, JSON.stringify(files)], { cwd: ROOT, env }).toString());
