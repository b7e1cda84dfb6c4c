// `npm run typecheck`: the sources against cdktf (tsconfig.json) and against CDK Terrain
// (tsconfig.cdktn.json), the two tsc processes side by side (each uses one core). Fails if either does.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./build.mjs";

const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const run = (project) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, "--noEmit", "-p", project], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ project, code, output }));
  });

const results = await Promise.all(["tsconfig.json", "tsconfig.cdktn.json"].map(run));
for (const { project, code, output } of results) {
  if (output) process.stdout.write(`${project}:\n${output}`);
  if (code !== 0) console.error(`tsc -p ${project} failed (exit ${code})`);
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
