const { execFileSync } = require("node:child_process");
const { join } = require("node:path");
const setUp = require("../global-setup");

/**
 * The package suite's set-up: the shared one, then both packages laid out once from the built
 * library as they are published (scripts/pack.mjs --stage into build/npm-cdktf and build/npm-cdktn),
 * so the suite's files, which read them, can run side by side without one rewriting them under another.
 */
module.exports = async () => {
  await setUp();
  execFileSync(process.execPath, [join(__dirname, "..", "..", "scripts", "pack.mjs"), "--stage"], {
    cwd: join(__dirname, "..", ".."),
    stdio: "pipe",
  });
};
