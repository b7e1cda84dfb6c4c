// `terraform fmt`'s formatter (hclwrite, compiled to WebAssembly in @cdktf/hcl-tools), remembered by
// what it was given. Formatting the module's files was two thirds of a synth's own work (~0.7 s of
// WebAssembly, its runtime's start included), for text that changes only when the constructs do;
// and once loaded, the Go runtime's timers kept the process alive ~2 s after synth was done. So
// each file's formatted text is kept in build/hcl-format-cache under a digest of its input and of
// the formatter's version, and the formatter is loaded only when a text was not formatted before.
"use strict";

const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const ROOT = join(__dirname, "..", "..");
const CACHE_DIR = join(ROOT, "build", "hcl-format-cache");
const FORMATTER_VERSION = require("@cdktf/hcl-tools/package.json").version;

/** The cache file of `text`: named by a digest of the formatter's version and the text. */
const cacheFile = (text, cacheDir = CACHE_DIR) =>
  join(cacheDir, `${createHash("sha256").update(FORMATTER_VERSION).update("\0").update(text).digest("hex")}.tf`);

/** `text` formatted as `terraform fmt` would; from the cache when this text was formatted before. */
async function format(text, { cacheDir = CACHE_DIR } = {}) {
  const file = cacheFile(text, cacheDir);
  try {
    return readFileSync(file, "utf8");
  } catch {
    // Not formatted before (or the cache was cleared): format it and keep it.
  }
  const formatted = await require("@cdktf/hcl-tools").format(text);
  mkdirSync(cacheDir, { recursive: true });
  // Written beside and renamed, so a synth running in another process never reads half a file.
  const staging = `${file}.${process.pid}`;
  writeFileSync(staging, formatted);
  renameSync(staging, file);
  return formatted;
}

module.exports = { format, cacheFile, CACHE_DIR };
