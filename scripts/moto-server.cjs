// A moto server (the AWS emulator pinned in requirements-test.txt, installed in .venv) of the
// caller's own, on a free loopback port. Shared by the test suites (__tests__/helpers/moto-server.ts)
// and `npm run scan`, which plans against it; CommonJS, so both jest and the scripts load it.
"use strict";

const { spawn } = require("node:child_process");
const { existsSync, openSync } = require("node:fs");
const { createServer } = require("node:net");
const { join } = require("node:path");

const ROOT = join(__dirname, "..");

/** The pinned moto_server that `npm test`'s set-up installs in .venv, or MOTO_SERVER. */
const MOTO_SERVER = process.env.MOTO_SERVER ?? join(ROOT, ".venv", "bin", "moto_server");

/** @returns {Promise<number>} a loopback port nothing listens on */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Starts moto_server (the pinned one in .venv, or MOTO_SERVER) and waits until it answers; its log goes to `log`.
 * @param {string} log
 * @param {number} [seconds]
 * @returns {Promise<{ endpoint: string, stop(): void }>}
 */
async function startMotoServer(log, seconds = 60) {
  const executable = MOTO_SERVER;
  if (!existsSync(executable))
    throw new Error(`moto_server not found at ${executable}: node scripts/setup-tests.mjs (npm test runs it first)`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(executable, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", openSync(log, "a"), openSync(log, "a")],
  });
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} (log: ${log})`);
    const up = await fetch(`${endpoint}/moto-api/data.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { endpoint, stop };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stop();
  throw new Error(`moto_server did not answer on ${endpoint} within ${seconds} s (log: ${log})`);
}

module.exports = { MOTO_SERVER, startMotoServer };
