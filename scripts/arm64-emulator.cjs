// What the arm64 test needs to run linux-arm64 Node.js on an x64 machine: qemu's user-mode
// emulator and Debian's arm64 C and C++ libraries as its sysroot. Declared once here: the test
// set-up (scripts/setup-tests.mjs) installs them, and the test (__tests__/integration/arm64-runtime.ts)
// says what is missing with the same command.
const { execFileSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const QEMU = "qemu-aarch64-static";
const SYSROOT = "/usr/aarch64-linux-gnu";
/** Debian's (and Ubuntu's) packages for the emulator and the sysroot. */
const DEBIAN_PACKAGES = ["qemu-user-static", "libc6-arm64-cross", "libstdc++6-arm64-cross"];
const INSTALL_COMMAND = `apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(" ")}`;

/** Whether the emulator runs and the sysroot has the C++ library. */
function emulatorPresent() {
  try {
    execFileSync(QEMU, ["--version"], { stdio: "ignore" });
  } catch {
    return false;
  }
  return existsSync(join(SYSROOT, "lib", "libstdc++.so.6"));
}

/** What is missing for the arm64 runs, with the command that installs it; undefined when nothing is. */
function missingEmulator() {
  if (emulatorPresent()) return undefined;
  return `the arm64 test needs ${QEMU} and an arm64 sysroot in ${SYSROOT}: ${INSTALL_COMMAND}`;
}

module.exports = { QEMU, SYSROOT, DEBIAN_PACKAGES, INSTALL_COMMAND, emulatorPresent, missingEmulator };
