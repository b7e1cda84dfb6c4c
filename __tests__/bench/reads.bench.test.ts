// Read-cost figures for `npm run bench` (BENCHMARKS.md): S3 requests, round trips, GETs and bytes
// per image over the whole differential corpus, each image through the processor's own path
// (processRecords: the first GET, which answers the head, then its bounded reads) at its defaults
// against an in-memory S3 that counts every request, and the latency they model on S3. Writes
// build/bench/reads.json; `scripts/bench.mjs` applies the budgets. (The moto subset of the same
// corpus, through the deployed bundle and measured at the proxy, is
// __tests__/integration/corpus.integration.test.ts.)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ObjectRef } from "../../functions/image-processor/core/object-ref";
import { PROCESSOR_DEFAULTS } from "../../functions/image-processor/environment";
import { processRecords } from "../../functions/image-processor/process-event";
import { generateCorpus, jpegSegments } from "../differential/corpus";
import { CONFIG, FakeImages, fakes } from "../functions/image-processor/fakes";
import { readCostFigures } from "../helpers/read-cost";

const ROOT = join(__dirname, "..", "..");
const BUDGET = {
  windowBytes: PROCESSOR_DEFAULTS.readWindowBytes,
  maxGets: PROCESSOR_DEFAULTS.maxReadGets,
  maxBytes: PROCESSOR_DEFAULTS.maxReadBytes,
};
const SETTINGS = {
  ...CONFIG,
  budget: BUDGET,
  maxImagePixels: PROCESSOR_DEFAULTS.maxImagePixels,
  formats: ["jpeg", "png"] as ("jpeg" | "png")[],
};

/** The fake S3 of the unit tests, also counting round trips: a set of requests in flight together. */
class CountingImages extends FakeImages {
  roundTrips = 0;
  private inFlight = 0;

  override async read(ref: ObjectRef, start: number, length: number) {
    if (this.inFlight++ === 0) this.roundTrips++;
    await Promise.resolve();
    this.inFlight--;
    return super.read(ref, start, length);
  }
}

it("measures S3 requests, round trips, GETs and bytes per image over the differential corpus", async () => {
  // Arrange
  const corpus = await generateCorpus(Number(process.env.CORPUS_SIZE ?? 1200));
  const images = [];

  // Act: each image by the processor's own path, every S3 request it makes counted (the fake's
  // `open` is its first GET, as the adapter's is).
  for (const [i, image] of corpus.entries()) {
    const s3 = new CountingImages();
    const key = `corpus/${i}.${image.name.startsWith("png") ? "png" : "jpg"}`;
    s3.put(key, image.bytes);
    const ref: ObjectRef = {
      bucket: "b",
      key,
      versionId: "v1",
      sequencer: "0A",
      size: image.bytes.length,
      eventName: "ObjectCreated:Put",
      eventTime: "2026-11-27T10:00:00Z",
    };
    const { results } = await processRecords([ref], [], { ...fakes().deps, images: s3 }, SETTINGS);
    const [result] = results;
    if (!result.ok) throw result.error;
    const sof = image.name.startsWith("png")
      ? undefined
      : jpegSegments(image.bytes).find(([, m]) => m >= 0xc0 && m <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(m));
    images.push({
      requests: s3.reads.length,
      roundTrips: s3.roundTrips,
      gets: result.gets,
      bytes: result.bytesRead,
      frameInFirstWindow: !sof || sof[0] + sof[2] <= BUDGET.windowBytes,
    });
  }
  const figures = { budget: BUDGET, ...readCostFigures(images) };
  mkdirSync(join(ROOT, "build", "bench"), { recursive: true });
  writeFileSync(join(ROOT, "build", "bench", "reads.json"), JSON.stringify(figures, null, 2));

  // Assert: what the budgets in scripts/bench.mjs read is there and consistent.
  expect(figures.images).toBe(corpus.length);
  // The processor counts every GET it makes: its own figure and the fake S3's agree.
  expect(images.filter((i) => i.gets !== i.requests)).toEqual([]);
  expect(figures.roundTrips.max).toBeLessThanOrEqual(figures.requests.max);
  expect(figures.bytes.max).toBeLessThanOrEqual(BUDGET.maxBytes);
}, 300_000);
