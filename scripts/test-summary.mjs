// Prints one closing line for CI from jest's JSON results: "tests: N passed, N failed", after each
// suite's wall time and its slowest files, so the job's time can be read off its log.
import { existsSync, readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`missing test results: ${file}`);
    process.exit(1);
  }
  const results = JSON.parse(readFileSync(file, "utf8"));
  const ends = results.testResults.map((r) => r.endTime ?? results.startTime);
  const slowest = results.testResults
    .map((r) => ({ file: r.name.replace(/^.*__tests__\//, ""), seconds: ((r.endTime ?? 0) - (r.startTime ?? 0)) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 3)
    .map((r) => `${r.file} ${r.seconds.toFixed(0)} s`);
  console.log(`${file}: ${((Math.max(...ends) - results.startTime) / 1000).toFixed(0)} s (slowest: ${slowest.join(", ")})`);
  passed += results.numPassedTests;
  failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
