import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** A moto server of a test file's own, on a free loopback port: suites that would share names with another file run beside it. */
export interface MotoServer {
  readonly endpoint: string;
  stop(): void;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Starts moto_server (the pinned one in .venv, or MOTO_SERVER) and waits until it answers; its log goes to `log`. */
export async function startMotoServer(log: string, seconds = 60): Promise<MotoServer> {
  const executable = process.env.MOTO_SERVER ?? join(ROOT, ".venv", "bin", "moto_server");
  if (!existsSync(executable))
    throw new Error(`moto_server not found at ${executable}: node scripts/setup-tests.mjs (npm test runs it first)`);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(executable, ["-H", "127.0.0.1", "-p", String(port)], {
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
