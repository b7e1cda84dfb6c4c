// `npm test`: the suites in lanes that run side by side, each lane's npm scripts one after the other.
//   node scripts/test-lanes.mjs "lint typecheck test:unit ..." "test:deploy"
// The deploy suite waits on Terraform and the emulator more than it computes, so the CPU-bound
// suites run beside it instead of after it. The first lane prints as it goes; every other lane's
// output is kept in build/test-results/lane-<its scripts>.log and printed when it ends, so no lines interleave.
// Exits non-zero when any script in any lane fails; a lane stops at its first failure.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, buildApp, buildDerivatives, buildFunction } from "./build.mjs";
import { failedTests } from "./test-failures.mjs";

const lanes = process.argv.slice(2).map((lane) => lane.split(/\s+/).filter(Boolean));
if (lanes.length === 0 || lanes.some((lane) => lane.length === 0)) {
  console.error('usage: node scripts/test-lanes.mjs "<npm script> ..." ["<npm script> ..."]');
  process.exit(2);
}

// Every lane's suites synthesize from the same bundles: build them once, before the lanes start,
// so no two lanes rebuild the same folder at the same time.
await Promise.all([buildFunction(), buildDerivatives(), buildApp()]);

const results = join(ROOT, "build", "test-results");
mkdirSync(results, { recursive: true });
const npm = process.env.npm_execpath;
const started = Date.now();

/** Runs one npm script, its output to `out` (inherited for the first lane); resolves to its exit code. */
function runScript(script, out) {
  return new Promise((resolve) => {
    const [command, args] = npm ? [process.execPath, [npm, "run", script]] : ["npm", ["run", script]];
    const child = spawn(command, args, { cwd: ROOT, stdio: out ? ["ignore", "pipe", "pipe"] : "inherit" });
    if (out) {
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
    }
    child.on("error", (error) => {
      console.error(`npm run ${script}: ${error.message}`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function runLane(scripts, index) {
  const log = index === 0 ? undefined : join(results, `lane-${scripts.join("+").replace(/[^\w+-]/g, "_")}.log`);
  const out = log && createWriteStream(log);
  let failed;
  for (const script of scripts) {
    const code = await runScript(script, out);
    if (code !== 0) {
      failed = { script, code };
      break;
    }
  }
  if (out) {
    await new Promise((resolve) => out.end(resolve));
    process.stdout.write(`\n== lane ${index + 1} (${scripts.join(", ")}), its output from ${log}:\n`);
    process.stdout.write(readFileSync(log));
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `== lane ${index + 1} (${scripts.join(", ")}) ${failed ? `FAILED at npm run ${failed.script} (exit ${failed.code})` : "passed"}, ${seconds} s`,
  );
  return failed;
}

const failures = (await Promise.all(lanes.map(runLane))).filter(Boolean);
if (failures.length > 0) {
  const failed = failedTests(results, started);
  if (failed.length > 0) console.log(`\n== failed tests:\n${failed.join("\n")}`);
}
process.exit(failures.length === 0 ? 0 : 1);
