// Wall-clock measuring for the benchmarks: one command's time, and the median of several.
import { spawnSync } from "node:child_process";
import { ROOT } from "./build.mjs";

/** The median of `values` (the upper one of an even count). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Milliseconds `command` takes to exit 0 (from ROOT unless `options.cwd`); throws with its stderr otherwise. */
export const wallMs = (command, commandArgs, options = {}) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: "pipe", ...options });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed:\n${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
