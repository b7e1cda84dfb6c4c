const { execFileSync } = require("node:child_process");
const { join } = require("node:path");
const setUp = require("../global-setup");

/**
 * The package suite's set-up: the shared one, then the cdktn package laid out once from the built
 * library (scripts/pack-cdktn.mjs --stage into build/npm-cdktn), so the suite's files, which read
 * it, can run side by side without one rewriting it under another.
 */
module.exports = async () => {
  await setUp();
  execFileSync(process.execPath, [join(__dirname, "..", "..", "scripts", "pack-cdktn.mjs"), "--stage"], {
    cwd: join(__dirname, "..", ".."),
    stdio: "pipe",
  });
};
