// `npm run test:integration`: synthesizes the stacks, starts moto's server on a free
// loopback port, runs the integration suite against it (or the suite of JEST_CONFIG), and
// always stops the server.
// moto comes from the pinned requirements-test.txt, installed into .venv (see README).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./build.mjs";

const motoServer = process.env.MOTO_SERVER ?? join(ROOT, ".venv", "bin", "moto_server");
if (!existsSync(motoServer)) {
  console.error(
    `moto_server not found at ${motoServer}.\nInstall the test tools first:\n  node scripts/setup-tests.mjs   (npm test runs it first)`,
  );
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function waitForMoto(endpoint, child, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${seconds} s`);
}

mkdirSync(join(ROOT, "build", "test-results"), { recursive: true });
const work = mkdtempSync(join(tmpdir(), "image-processing-it-"));
const synthDir = join(work, "cdktf.out");
const synth = spawnSync(process.execPath, [join(ROOT, "scripts", "synth.mjs")], {
  cwd: ROOT,
  // The module into the run's own folder: dist/terraform-module is the main job's, read by other suites.
  env: { ...process.env, CDKTF_OUTDIR: synthDir, MODULE_OUTDIR: join(work, "terraform-module") },
  stdio: "inherit",
});
if (synth.status !== 0) process.exit(synth.status ?? 1);

// One server per jest worker where the suite asks for several (MOTO_SERVERS, the integration
// suite's two): its tests reset the emulator, so two files can never share one.
const servers = Number(process.env.MOTO_SERVERS ?? 1);
const motos = [];
for (let i = 0; i < servers; i++) {
  const port = await freePort();
  const log = join(work, `moto-${i}.log`);
  const child = spawn(motoServer, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", openSync(log, "a"), openSync(log, "a")] });
  motos.push({ endpoint: `http://127.0.0.1:${port}`, child, log });
}
const endpoint = motos[0].endpoint;
const stop = () => {
  for (const { child } of motos) if (child.exitCode === null) child.kill("SIGTERM");
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stop();
    process.exit(130);
  });
}

let status = 1;
try {
  await Promise.all(motos.map(({ endpoint, child }) => waitForMoto(endpoint, child)));
  for (const { endpoint, log } of motos) console.log(`moto server on ${endpoint} (log: ${log})`);
  const jest = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules", "jest", "bin", "jest.js"),
      "-c",
      join(ROOT, process.env.JEST_CONFIG ?? "jest.integration.config.js"),
      ...process.argv.slice(2),
    ],
    {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, MOTO_ENDPOINT: endpoint, MOTO_ENDPOINTS: motos.map((m) => m.endpoint).join(","), SYNTH_DIR: synthDir },
    },
  );
  status = jest.status ?? 1;
} catch (error) {
  console.error(error);
} finally {
  stop();
  if (status === 0) rmSync(work, { recursive: true, force: true });
}
process.exit(status);
