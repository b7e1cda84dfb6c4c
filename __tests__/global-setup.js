const { mkdirSync } = require("node:fs");
const { join } = require("node:path");

module.exports = async () => {
  // The stack zips the processor bundle, so it must exist before any construct test synthesizes.
  const { buildFunction } = await import("../scripts/build.mjs");
  await buildFunction();
  // Where `--outputFile` writes the JSON results that CI's closing line is made from.
  mkdirSync(join(__dirname, "..", "build", "test-results"), { recursive: true });
};
