// Where the functions' bundles are found in this package.
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Where a bundled function lives in this package (built by `npm run build:function`), found
 * from the package root so it resolves the same from the sources, the compiled library and a
 * consumer's node_modules. The published package holds this folder zipped, as `<folder>.zip`
 * beside it, which the constructs deploy as it is (see `deterministicZip`).
 */
export function packagedCodeDir(name: "image-processor" | "image-derivatives"): string {
  return path.join(packageRoot(`cannot find the ${name} bundle`), "build", name);
}

/** This package's root folder: the nearest one above this file that holds a package.json. */
export function packageRoot(purpose = "cannot find this package's root"): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}: ${purpose}`);
    dir = parent;
  }
  return dir;
}

/** Where the bundled processor lives in this package. */
export const defaultProcessorCodeDir = (): string => packagedCodeDir("image-processor");
