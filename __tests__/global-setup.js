const { mkdirSync, mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async () => {
  // The unit suite's two projects (one per framework flavor) each run this: set up once per run.
  if (globalThis.imagePipelineTestSetUp) return;
  globalThis.imagePipelineTestSetUp = true;
  // One temporary folder for the run, which global-teardown.js removes: cdktf's Testing.app() and
  // the code archives make folders under os.tmpdir(), and the workers inherit TMPDIR from here.
  process.env.IMAGE_PIPELINE_TEST_TMPDIR = mkdtempSync(join(tmpdir(), "image-pipeline-tests-"));
  process.env.TMPDIR = process.env.IMAGE_PIPELINE_TEST_TMPDIR;
  // The stack zips the functions' bundles, so they must exist before any construct test synthesizes.
  const { ZIP_CACHE_DIR, buildDerivatives, buildFunction } = await import("../scripts/build.mjs");
  await Promise.all([buildFunction(), buildDerivatives()]);
  // The zips outlive the run's folder: the workers' first synths read them instead of compressing side by side.
  process.env.IMAGE_PIPELINE_ZIP_CACHE ??= ZIP_CACHE_DIR;
  // Where `--outputFile` writes the JSON results that CI's closing line is made from.
  mkdirSync(join(__dirname, "..", "build", "test-results"), { recursive: true });
};
