const { mkdirSync } = require("node:fs");
const { join } = require("node:path");

module.exports = async () => {
  // The stack zips the functions' bundles, so they must exist before any construct test synthesizes.
  const { buildDerivatives, buildFunction } = await import("../scripts/build.mjs");
  await Promise.all([buildFunction(), buildDerivatives()]);
  // Where `--outputFile` writes the JSON results that CI's closing line is made from.
  mkdirSync(join(__dirname, "..", "build", "test-results"), { recursive: true });
};
