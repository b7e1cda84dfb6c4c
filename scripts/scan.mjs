// `npm run scan`: Checkov (pinned in requirements-test.txt, installed in .venv) over every
// synthesized environment stack and the packaged Terraform module. Fails on any failed check
// that .checkov.yaml does not skip with a reason.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./build.mjs";
import { packageModule } from "./package-module.mjs";

const checkov = process.env.CHECKOV ?? join(ROOT, ".venv", "bin", "checkov");
if (!existsSync(checkov)) {
  console.error(
    `checkov not found at ${checkov}.\nInstall the test tools: python3 -m venv .venv && .venv/bin/pip install -r requirements-test.txt`,
  );
  process.exit(2);
}

const synth = spawnSync(process.execPath, [join(ROOT, "scripts", "synth.mjs")], { cwd: ROOT, stdio: "inherit" });
if (synth.status !== 0) process.exit(synth.status ?? 1);
const moduleDir = join(ROOT, "cdktf.out", "terraform-module");
await packageModule(moduleDir);

const scan = spawnSync(checkov, ["--config-file", join(ROOT, ".checkov.yaml"), "-d", join(ROOT, "cdktf.out")], {
  cwd: ROOT,
  stdio: "inherit",
});
process.exit(scan.status ?? 1);
