// Backfill figures for `npm run bench` (BENCHMARKS.md): objects per second of `image-pipeline
// backfill` over 10,000 objects against moto, and its peak RSS against a 1,000-object run. The
// listing is streamed page by page, so memory must not grow with the bucket: the 10,000-object
// run gets a V8 heap capped at 64 MB, and would die of it if it did. Writes
// build/bench/backfill.json; `scripts/bench.mjs` applies the budgets.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { build } from "esbuild";
import { mapBounded } from "../../functions/image-processor/core/bounded-map";
import { image } from "../fixtures";
import { type CliHarness, provisionForCli } from "../integration/cli-harness";

const ROOT = join(__dirname, "..", "..");
const OUT = join(ROOT, "build", "bench");
const CLI = join(OUT, "image-pipeline.js");

/** The V8 heap the 10,000-object run gets: the listing is streamed, so it must not need more. */
const HEAP_CAP_MB = 64;

/** Runs the bundled command in its own process, under /usr/bin/time for its peak RSS. */
function backfill(h: CliHarness, prefix: string, nodeOptions: string[] = []) {
  const result = spawnSync(
    "/usr/bin/time",
    ["-f", "peak-rss-kb %M", process.execPath, ...nodeOptions, CLI, "backfill", "--outputs", h.outputsFile, "--prefix", prefix, "--json"],
    {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: process.env.MOTO_ENDPOINT,
        AWS_REGION: h.region,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    },
  );
  if (result.status !== 0) throw new Error(`backfill failed (${result.status}): ${result.stderr}`);
  const peakRssKb = Number(/peak-rss-kb (\d+)/.exec(result.stderr)?.[1]);
  return { ...JSON.parse(result.stdout), peakRssMb: peakRssKb / 1024 };
}

/** Objects of the large run (a multiple of 10): 10,000 for BENCHMARKS.md; CI runs fewer (BENCH_BACKFILL_OBJECTS) to keep its time. */
const OBJECTS = Number(process.env.BENCH_BACKFILL_OBJECTS ?? 10_000);

describe("backfill benchmark", () => {
  let h: CliHarness;

  beforeAll(async () => {
    h = await provisionForCli();
    await build({
      entryPoints: [join(ROOT, "cli", "index.ts")],
      bundle: true,
      platform: "node",
      target: "node20",
      outfile: CLI,
      logLevel: "error",
    });
  }, 120_000);
  afterAll(() => h?.close());

  it(`backfills ${OBJECTS.toLocaleString("en")} objects with flat memory`, async () => {
    const body = image("baseline-exif.jpg");
    // A tenth of the keys under bench/s/, for the small run; the large run lists them all.
    const keys = Array.from({ length: OBJECTS }, (_, i) => `bench/${i < OBJECTS / 10 ? "s" : "l"}/${String(i).padStart(6, "0")}.jpg`);
    await mapBounded(keys, 32, (Key) => h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key, Body: body })));

    // moto accepts the invocations without running them, so no item is written between the runs.
    const small = backfill(h, "bench/s/");
    const large = backfill(h, "bench/", [`--max-old-space-size=${HEAP_CAP_MB}`]);

    expect(small).toMatchObject({ images: OBJECTS / 10, sent: OBJECTS / 10, failed: 0 });
    expect(large).toMatchObject({ images: OBJECTS, sent: OBJECTS, failed: 0 });
    mkdirSync(OUT, { recursive: true });
    writeFileSync(
      join(OUT, "backfill.json"),
      JSON.stringify({
        objects: large.images,
        events: large.events,
        seconds: large.seconds,
        objectsPerSecond: large.objectsPerSecond,
        peakRssMb: large.peakRssMb,
        peakRssMbAtTenth: small.peakRssMb,
        heapCapMb: HEAP_CAP_MB,
      }),
    );
    console.log(`backfill: ${JSON.stringify({ large, small })}`);
  }, 900_000);
});
