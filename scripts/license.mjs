// The Apache-2.0 text of LICENSE, taken from spdx-license-list (the SPDX list's own full texts), not typed.
// `node scripts/license.mjs` writes LICENSE; the package test checks it still matches.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The license text of an SPDX identifier (package.json's `license`), ending in one newline. */
export function licenseText(spdxId) {
  const { licenseText: text } = require(`spdx-license-list/licenses/${spdxId}.json`);
  return `${text.trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(import.meta.url), "..", "..");
  const { license } = require(join(root, "package.json"));
  writeFileSync(join(root, "LICENSE"), licenseText(license));
  console.log(`LICENSE: ${license}`);
}
