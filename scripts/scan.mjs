// `npm run scan`: Checkov (pinned in requirements-test.txt, installed in .venv) over every
// synthesized environment stack and the packaged Terraform module. Fails on any failed check
// that .checkov.yaml does not skip with a reason.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { APP_DIR, ROOT } from "./build.mjs";
import { packageModule } from "./package-module.mjs";

const checkov = process.env.CHECKOV ?? join(ROOT, ".venv", "bin", "checkov");
if (!existsSync(checkov)) {
  console.error(`checkov not found at ${checkov}.\nInstall the test tools: python3 -m venv .venv && .venv/bin/pip install -r requirements-test.txt`);
  process.exit(2);
}

const synth = spawnSync(process.execPath, [join(ROOT, "scripts", "synth.mjs")], { cwd: ROOT, stdio: "inherit" });
if (synth.status !== 0) process.exit(synth.status ?? 1);
const moduleDir = join(ROOT, "cdktf.out", "terraform-module");
await packageModule(moduleDir);
expandDynamicNotification(join(moduleDir, "main.tf.json"));

const scan = spawnSync(checkov, ["--config-file", join(ROOT, ".checkov.yaml"), "-d", join(ROOT, "cdktf.out")], {
  cwd: ROOT,
  stdio: "inherit",
});
process.exit(scan.status ?? 1);

/**
 * Checkov 3.3.30 cannot build its graph from a Terraform JSON file with a `dynamic` block: it
 * drops every connection in the file and reports the module's buckets as lacking their public
 * access block and versioning. The module's one dynamic block is the bucket notification's
 * targets (one per suffix of `var.formats`); the scanned copy has them expanded for the default
 * formats, exactly as the environment stacks have them. Nothing else of the module changes.
 */
function expandDynamicNotification(file) {
  const module = JSON.parse(readFileSync(file, "utf8"));
  const require = createRequire(import.meta.url);
  const { imageSuffixes } = require(join(APP_DIR, "constructs", "image-processing-pipeline.js"));
  const { DEFAULTS } = require(join(APP_DIR, "constructs", "config.js"));
  for (const notification of Object.values(module.resource.aws_s3_bucket_notification ?? {})) {
    const dynamic = notification.dynamic?.lambda_function;
    if (!dynamic) continue;
    const { content } = dynamic;
    notification.lambda_function = imageSuffixes(DEFAULTS.formats).map((suffix) => ({
      ...content,
      id: `process-${suffix.slice(1)}`,
      filter_suffix: suffix,
    }));
    delete notification.dynamic;
  }
  writeFileSync(file, JSON.stringify(module, null, 2));
}
