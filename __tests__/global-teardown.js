const { rmSync } = require("node:fs");

/** Removes the run's temporary folder (global-setup.js): every synth folder and staged zip of the suite. */
module.exports = async () => {
  const dir = process.env.IMAGE_PIPELINE_TEST_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
