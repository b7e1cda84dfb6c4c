// Emulator figures for `npm run bench` (BENCHMARKS.md): bytes read and S3 requests per image by size,
// throughput against the bare SDK calls, and peak memory on a 50 MB image. Writes
// build/bench/emulator.json; `scripts/bench.mjs` applies the budgets.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { image } from "../fixtures";
import { type Harness, provisionFromStack, upload } from "../integration/harness";

const ROOT = join(__dirname, "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A PNG of about `bytes` bytes: a real header, then noise (the processor reads only the start). */
const pngOfSize = (bytes: number) => Buffer.concat([image("plain.png"), randomBytes(Math.max(0, bytes - 108))]);

function worker(h: Harness) {
  const child = fork(join(__dirname, "bench-worker.js"), {
    cwd: ROOT,
    env: h.processEnvironment,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const next = () => new Promise<any>((resolve) => child.once("message", resolve));
  const ready = next();
  return {
    ready,
    async send(message: object) {
      const answer = next();
      child.send(message);
      const reply = await answer;
      if (!reply.ok) throw new Error(reply.error);
      return reply;
    },
    stop: () => child.kill(),
  };
}

describe("emulator benchmarks", () => {
  let h: Harness;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    h = await provisionFromStack();
  });
  afterAll(async () => {
    await h?.close();
    mkdirSync(join(ROOT, "build", "bench"), { recursive: true });
    writeFileSync(join(ROOT, "build", "bench", "emulator.json"), JSON.stringify(figures, null, 2));
  });

  it("reads the same bounded window whatever the image size", async () => {
    const invoke = await h.startFunction();
    const rows = [];
    for (const [label, size] of [
      ["100 KB", 100_000],
      ["5 MB", 5_000_000],
      ["50 MB", 50_000_000],
    ] as const) {
      const { event } = await upload(h, `bench/bytes-${label.replace(" ", "")}.png`, pngOfSize(size), "image/png");
      h.proxy.requests.length = 0;
      await invoke(event);
      // Every S3 request the function made for the image, not only its GETs.
      const requests = h.proxy.requests.filter((r) => r.service === "s3");
      const gets = requests.filter((r) => r.method === "GET");
      rows.push({
        label,
        objectBytes: size,
        bytesRequested: gets.reduce((sum, r) => sum + r.responseBytes, 0),
        gets: gets.length,
        requests: requests.length,
      });
    }
    figures.bytesRead = { windowBytes: Number(h.functionEnvironment.READ_WINDOW_BYTES), rows };

    expect(new Set(rows.map((r) => r.bytesRequested)).size).toBe(1);
    expect(rows.map((r) => r.requests)).toEqual([1, 1, 1]);
  });

  it("processes a batch at close to the cost of the bare SDK calls it must make", async () => {
    const bench = worker(h);
    await bench.ready;
    const samples = ["baseline-exif.jpg", "progressive.jpg", "plain.png", "interlaced.png"].map(image);
    const batch = async (run: number, kind: string) => {
      const records = [];
      for (let i = 0; i < 100; i++) {
        records.push((await upload(h, `bench/${kind}-${run}/${i}.${i % 4 < 2 ? "jpg" : "png"}`, samples[i % 4])).record);
      }
      return { Records: records };
    };
    const handlerMs: number[] = [];
    const bareMs: number[] = [];
    // One warm-up of each, then alternate so drift in the emulator hits both alike.
    await bench.send({ kind: "handler", event: await batch(-1, "handler") });
    await bench.send({ kind: "bare", event: await batch(-1, "bare"), concurrency: 4 });
    for (let run = 0; run < RUNS; run++) {
      handlerMs.push((await bench.send({ kind: "handler", event: await batch(run, "handler") })).ms);
      bareMs.push((await bench.send({ kind: "bare", event: await batch(run, "bare"), concurrency: 4 })).ms);
    }
    bench.stop();
    figures.throughput = {
      objects: 100,
      runs: RUNS,
      handlerMs: median(handlerMs),
      bareSdkMs: median(bareMs),
      ratio: median(handlerMs) / median(bareMs),
      perObjectMs: median(handlerMs) / 100,
    };

    expect(handlerMs).toHaveLength(RUNS);
  });

  it("keeps peak memory low on a 50 MB image, in a fresh process", async () => {
    const { event } = await upload(h, "bench/memory-50MB.png", pngOfSize(50_000_000), "image/png");
    const bench = worker(h);
    const { maxRssKb: idleKb } = await bench.ready;
    const reply = await bench.send({ kind: "handler", event });
    bench.stop();
    figures.memory = { objectBytes: 50_000_000, peakRssMb: reply.maxRssKb / 1024, loadedRssMb: idleKb / 1024, invocationMs: reply.ms };

    expect(reply.result.results[0].status).toBe("processed");
  });
});
