// `npm run build:lib`: the npm package's lib/, as a consumer installs it.
//   lib/constructs/   the construct library, compiled file by file with its declarations (tsc), so an
//                     app's own cdktf, constructs and provider are the ones it loads (peer dependencies)
//   lib/cli/index.js  the `image-pipeline` command, one bundle (esbuild) with its AWS SDK clients and
//                     other libraries inside: a library user's install does not carry the ~49 MB of
//                     packages only the command runs, and an operator's `npx image-pipeline` needs no
//                     dependencies but the frameworks the app already has.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { chmodSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./build.mjs";

const require = createRequire(import.meta.url);
export const LIB_DIR = join(ROOT, "lib");
export const CLI_BUNDLE = join(LIB_DIR, "cli", "index.js");

/**
 * The modules the command's bundle leaves out: the frameworks (peer dependencies, which the cdktn
 * package's build renames) with the provider's deep imports, and the AWS SDK's optional CRT signer,
 * which the SDK loads inside a try only for SigV4a (multi-Region access points, which no command uses).
 */
export const CLI_EXTERNALS = [
  ...Object.keys(require("../package.json").peerDependencies).flatMap((name) => [name, `${name}/*`]),
  "@aws-sdk/signature-v4-crt",
];

/** The command: one minified CommonJS file for the oldest Node the package supports, its functions' names kept for stack traces. */
export async function buildCliBundle() {
  const { engines } = require("../package.json");
  const nodeMajor = /(\d+)/.exec(engines.node)?.[1];
  await build({
    entryPoints: [join(ROOT, "cli", "index.ts")],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: "node",
    target: `node${nodeMajor}`,
    format: "cjs",
    external: CLI_EXTERNALS,
    mainFields: ["module", "main"],
    minify: true,
    keepNames: true,
    legalComments: "none",
    logLevel: "warning",
  });
  // npm packs file modes as they are: the command stays executable.
  chmodSync(CLI_BUNDLE, 0o755);
}

/** The library's compiled files and declarations (tsconfig.build.json), then the command's bundle. */
export async function buildLibrary() {
  rmSync(LIB_DIR, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")], {
    cwd: ROOT,
    stdio: "inherit",
  });
  await buildCliBundle();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildLibrary();
