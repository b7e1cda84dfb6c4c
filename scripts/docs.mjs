// `npm run docs`: the architecture diagrams (docs/diagrams/) and the docs' generated sections,
// from synthesized configurations (scripts/docs/generate.ts), then the module's README, which
// embeds the diagrams (docs/terraform-module.md). A unit test fails when any of them is stale.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./build.mjs";

const outfile = join(ROOT, ".build", "docs", "generate.cjs");
await build({
  entryPoints: [join(ROOT, "scripts", "docs", "generate.ts")],
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  outfile,
  logLevel: "warning",
});
const { generatedDocs } = createRequire(import.meta.url)(outfile);
const files = await generatedDocs((file) => readFileSync(join(ROOT, file), "utf8"));
for (const generatedOnly of ["diagrams", "constructs"]) rmSync(join(ROOT, "docs", generatedOnly), { recursive: true, force: true });
for (const [file, content] of Object.entries(files)) {
  mkdirSync(dirname(join(ROOT, file)), { recursive: true });
  writeFileSync(join(ROOT, file), content);
  console.log(`wrote ${file}`);
}
execFileSync(process.execPath, [join(ROOT, "scripts", "package-module.mjs"), "--write-docs"], { cwd: ROOT, stdio: "inherit" });
