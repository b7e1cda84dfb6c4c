// `npm run test:integration`: synthesizes the stacks, starts moto's server on a free
// loopback port, runs the integration suite against it (or the suite of JEST_CONFIG), and
// always stops the server.
// moto comes from the pinned requirements-test.txt, installed into .venv by npm test's set-up.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./build.mjs";

const { MOTO_SERVER, startMotoServer } = createRequire(import.meta.url)("./moto-server.cjs");
if (!existsSync(MOTO_SERVER)) {
  console.error(
    `moto_server not found at ${MOTO_SERVER}.\nInstall the test tools first:\n  node scripts/setup-tests.mjs   (npm test runs it first)`,
  );
  process.exit(2);
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
const stop = () => {
  for (const moto of motos) moto.stop();
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stop();
    process.exit(130);
  });
}

let status = 1;
try {
  const logs = Array.from({ length: servers }, (_, i) => join(work, `moto-${i}.log`));
  const started = await Promise.allSettled(logs.map((log) => startMotoServer(log)));
  for (const result of started) if (result.status === "fulfilled") motos.push(result.value);
  const failed = started.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  const endpoint = motos[0].endpoint;
  for (const [i, { endpoint }] of motos.entries()) console.log(`moto server on ${endpoint} (log: ${logs[i]})`);
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
