// Makes renditions of one image in a fresh process, as the derivatives function does, and prints
// its peak resident memory: the measurement decode-memory.integration.test.ts compares with the model.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

(async () => {
  const { renderRenditions } = require(join(process.argv[2], "render.js"));
  const renditions = JSON.parse(process.argv[4]);
  await renderRenditions(readFileSync(process.argv[3]), renditions, 1e9);
  process.stdout.write(JSON.stringify({ peakMiB: process.resourceUsage().maxRSS / 1024 }));
})().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
