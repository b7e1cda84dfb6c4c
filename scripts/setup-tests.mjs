// `npm test`'s set-up (npm runs it first, as the `pretest` script): installs what the suites need
// beyond Node, Python and Terraform, only when it is missing, so the README's test command works on
// a fresh machine and costs a second on a machine already set up.
//   - The Python test tools pinned in requirements-test.txt (moto's server, Checkov, Pillow, ...)
//     into .venv, by uv (pinned below; seconds where pip takes a minute and more). Installed again
//     only when requirements-test.txt changes (its digest is kept in .venv).
//   - For the arm64 test: qemu's user-mode emulator and an arm64 sysroot from Debian's packages
//     (scripts/arm64-emulator.cjs), by apt-get as root, or through sudo when it needs no password.
//     Where neither can install, one line says what to run, and the arm64 test fails naming it.
// Both run side by side: apt waits on the network and dpkg, uv on PyPI.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT } from "./build.mjs";

const { DEBIAN_PACKAGES, INSTALL_COMMAND, emulatorPresent } = createRequire(import.meta.url)("./arm64-emulator.cjs");

const UV_VERSION = "0.13.9";
const VENV = join(ROOT, ".venv");
const TOOLS_VENV = join(ROOT, ".venv-tools");
const REQUIREMENTS = join(ROOT, "requirements-test.txt");
const STAMP = join(VENV, "requirements-test.sha256");

/** Runs a command, its output kept; resolves to { code, output }. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Runs the steps one after the other, stopping at the first that fails; resolves to the failed step's output, or undefined. */
async function steps(...commands) {
  for (const [command, ...args] of commands) {
    const { code, output } = await run(command, args);
    if (code !== 0) return `${[command, ...args].join(" ")} exited ${code}:\n${output}`;
  }
  return undefined;
}

async function pythonTools() {
  const digest = createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex");
  if (existsSync(join(VENV, "bin", "python")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === digest) return true;
  const uv = join(TOOLS_VENV, "bin", "uv");
  const failed = await steps(
    ...(existsSync(uv)
      ? []
      : [
          ["python3", "-m", "venv", TOOLS_VENV],
          [join(TOOLS_VENV, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check", `uv==${UV_VERSION}`],
        ]),
    ["python3", "-m", "venv", VENV],
    [uv, "pip", "install", "--quiet", "--python", join(VENV, "bin", "python"), "-r", REQUIREMENTS],
  );
  if (failed) {
    console.error(`test set-up: installing the Python test tools into .venv failed: ${failed}`);
    return false;
  }
  writeFileSync(STAMP, digest);
  console.log("test set-up: the Python test tools are installed in .venv (requirements-test.txt)");
  return true;
}

/** How this process can run apt-get as root: directly, through sudo without a password, or not at all. */
function asRoot() {
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync("sudo", ["-n", "true"], { stdio: "ignore" });
  return sudo.status === 0 ? ["sudo", "-n"] : undefined;
}

async function arm64Emulator() {
  if (emulatorPresent()) return;
  const root = asRoot();
  const hasApt = spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (!hasApt || root === undefined) {
    const why = hasApt ? "not root, and sudo asks for a password" : "no apt-get here";
    console.warn(`test set-up: the arm64 test needs qemu and an arm64 sysroot (${why}); install them with: sudo ${INSTALL_COMMAND}`);
    return;
  }
  const failed = await steps(
    [...root, "apt-get", "update", "-qq"],
    [...root, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...DEBIAN_PACKAGES],
  );
  if (failed) console.warn(`test set-up: installing ${DEBIAN_PACKAGES.join(", ")} failed, so the arm64 test will fail: ${failed}`);
  else console.log(`test set-up: installed ${DEBIAN_PACKAGES.join(", ")} for the arm64 test`);
}

const [python] = await Promise.all([pythonTools(), arm64Emulator()]);
process.exit(python ? 0 : 1);
