// `npm run synth` and cdktf.json's app: build with esbuild, then run the app in this same
// process (one node start instead of ts-node's several seconds of type checking).
import { createRequire } from "node:module";
import { join } from "node:path";
import { APP_DIR, ROOT, buildApp, buildFunction } from "./build.mjs";

process.env.CHECKPOINT_DISABLE ??= "1";
process.chdir(ROOT);
await Promise.all([buildFunction(), buildApp()]);
createRequire(import.meta.url)(join(APP_DIR, "main.js"));
