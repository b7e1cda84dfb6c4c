// Where the functions' bundles are found in this package.
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Where a bundled function lives in this package (built by `npm run build:function`), found
 * from the package root so it resolves the same from the sources, the compiled library and a
 * consumer's node_modules.
 */
export function packagedCodeDir(name: "image-processor" | "image-derivatives"): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}: cannot find the ${name} bundle`);
    dir = parent;
  }
  return path.join(dir, "build", name);
}

/** Where the bundled processor lives in this package. */
export const defaultProcessorCodeDir = (): string => packagedCodeDir("image-processor");
