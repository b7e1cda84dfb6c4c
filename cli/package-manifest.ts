import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What the command says of itself: its version, and the Node.js its package supports. */
export interface PackageManifest {
  readonly version: string;
  readonly engines: { readonly node: string };
}

/**
 * This package's package.json, the nearest above this file: the same from the sources (cli/) and
 * from the compiled library (lib/cli/), and each flavor's own (the cdktn package's asks for its Node).
 */
export function packageManifest(from = __dirname): PackageManifest {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
    // A bundle of the command copied out of the package (the tests make some): it has no manifest to read.
    if (dirname(dir) === dir) return { version: "unknown (no package.json above the command)", engines: { node: "see package.json" } };
  }
}
