// Derivatives figures for `npm run bench` (BENCHMARKS.md): time and peak memory per megapixel of
// the example renditions (a 320 × 320 WebP thumbnail and a 1920-pixel WebP), each image in a fresh
// process running the deployed derivatives bundle against moto (cold), the same request in a warm
// process beside bare sharp making the same renditions of the same bytes (the floor), and the
// asset's size. Writes
// build/bench/derivatives.json; `scripts/bench.mjs` applies the budgets.
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { deterministicZip } from "../../constructs/support/code-archive";
import { packagedCodeDir } from "../../constructs/support/code-dir";
import { requestBody } from "../../functions/shared/derivative-request";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { synthStack } from "../helpers/synth";
import { provisionDerivatives } from "../integration/derivatives-harness";
import { type Harness, bundleEnvironment, provisionFromStack, scanTable, upload } from "../integration/harness";

const ROOT = join(__dirname, "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A photo-like JPEG (smooth noise, quality 90) of width × height. */
const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "grey", noise: { type: "gaussian", mean: 128, sigma: 50 } } })
    .blur(2)
    .jpeg({ quality: 90 })
    .toBuffer();

/** A worker that stays up: the deployed bundle and bare sharp, warm, in the same process. */
function warmWorker(env: Record<string, string | undefined>) {
  const child = fork(join(__dirname, "bench-worker.js"), { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  let ready: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  let answer: ((reply: any) => void) | undefined;
  child.on("message", (reply: any) => (reply.ready ? ready() : answer?.(reply)));
  const send = async (message: object) => {
    await started;
    const reply = await new Promise<any>((resolve) => {
      answer = resolve;
      child.send(message);
    });
    if (!reply.ok) throw new Error(reply.error);
    return reply as { ms: number; result?: any };
  };
  return { send, stop: () => child.kill() };
}

/** One request in a fresh process: the deployed bundle (x64 sharp through NODE_PATH), its wall time and peak RSS. */
function runOnce(env: Record<string, string | undefined>, event: object): Promise<{ ms: number; maxRssKb: number; result: any }> {
  const child = fork(join(__dirname, "bench-worker.js"), { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.on("message", (reply: any) => {
      if (reply.ready) return void child.send({ kind: "handler", event });
      child.kill();
      if (reply.ok) resolve(reply);
      else reject(new Error(reply.error));
    });
  });
}

describe("derivatives benchmarks", () => {
  let h: Harness;
  const figures: Record<string, unknown> = {};

  const scratch = mkdtempSync(join(tmpdir(), "derivatives-bench-"));

  beforeAll(async () => {
    h = await provisionFromStack(synthStack({ derivatives: EXAMPLE_RENDITIONS }).tf as never);
  });
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await h?.close();
    mkdirSync(join(ROOT, "build", "bench"), { recursive: true });
    writeFileSync(join(ROOT, "build", "bench", "derivatives.json"), JSON.stringify(figures, null, 2));
  });

  it("measures time and peak memory per megapixel, warm against bare sharp, and the asset", async () => {
    const d = await provisionDerivatives(h);
    const processor = await h.startFunction();
    const env = {
      ...bundleEnvironment(
        d.functionEnvironment,
        join(ROOT, "build", "image-derivatives", "index.js"),
        process.env.MOTO_ENDPOINT!,
        h.region,
      ),
      NODE_PATH: join(ROOT, "node_modules"),
    };
    const rows = [];
    for (const [width, height] of [
      [1600, 1200],
      [4000, 3000],
      [6000, 4000],
    ] as const) {
      const key = `bench/photo-${width}x${height}.jpg`;
      const body = await photo(width, height);
      await processor((await upload(h, key, body, "image/jpeg")).event);
      const item = (await scanTable(h)).find((i) => i.ObjectKey === key)!;
      // Forced, so every run makes both renditions again.
      const request = { bucket: h.bucket, key, versionId: item.VersionId, imageId: item.ImageId, sequencer: item.Sequencer, force: true };
      const event = { Records: [{ messageId: "bench", body: requestBody(request) }] };
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runOnce(env, event));
      expect(runs.every((r) => r.result.batchItemFailures.length === 0)).toBe(true);
      // Warm: one process, a first request of each to warm it, then the two alternating.
      const path = join(scratch, `photo-${width}x${height}.jpg`);
      writeFileSync(path, body);
      const warm = warmWorker(env);
      const bare = { kind: "bare-sharp", path, renditions: EXAMPLE_RENDITIONS };
      const warmMs: number[] = [];
      const floorMs: number[] = [];
      try {
        await warm.send({ kind: "handler", event });
        await warm.send(bare);
        for (let i = 0; i < Math.max(RUNS, 3); i++) {
          const reply = await warm.send({ kind: "handler", event });
          expect(reply.result.batchItemFailures).toEqual([]);
          warmMs.push(reply.ms);
          floorMs.push((await warm.send(bare)).ms);
        }
      } finally {
        warm.stop();
      }
      const megapixels = (width * height) / 1e6;
      const ms = median(runs.map((r) => r.ms));
      const warmRow = { ms: median(warmMs), bareSharpMs: median(floorMs), ratio: median(warmMs) / median(floorMs) };
      rows.push({
        megapixels,
        bytes: body.length,
        ms,
        msPerMegapixel: ms / megapixels,
        peakRssMb: Math.max(...runs.map((r) => r.maxRssKb)) / 1024,
        warm: warmRow,
      });
    }
    const zip = deterministicZip(packagedCodeDir("image-derivatives"));
    figures.rows = rows;
    figures.assetZipBytes = zip.length;
    figures.renditions = EXAMPLE_RENDITIONS.map((r) => r.name);
    expect(rows).toHaveLength(3);
  });
});
