// Read-cost figures for `npm run bench` (BENCHMARKS.md): S3 requests, round trips, GETs and bytes
// per image over the whole differential corpus, each image through the processor's own path
// (processRecords: the first GET, which answers the head, then its bounded reads) at its defaults
// against an in-memory S3 that counts every request, and the latency they model on S3. Writes
// build/bench/reads.json; `scripts/bench.mjs` applies the budgets. (The moto subset of the same
// corpus, through the deployed bundle and measured at the proxy, is
// __tests__/integration/corpus.integration.test.ts.)
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ObjectRef } from "../../functions/image-processor/core/object-ref";
import { PROCESSOR_DEFAULTS } from "../../functions/image-processor/environment";
import { processRecords } from "../../functions/image-processor/process-event";
import { generateCorpus, jpegSegments } from "../differential/corpus";
import { CONFIG, FakeImages, fakes, fakesWithDerivatives } from "../functions/image-processor/fakes";
import { readCostFigures, serviceCallFigures } from "../helpers/read-cost";
import { measureRequestsPerImage } from "../helpers/requests-per-image";
import { CallRecorder, recordProcessor } from "../helpers/service-calls";

const ROOT = join(__dirname, "..", "..");
const FIXTURES = join(__dirname, "..", "fixtures", "images");
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

/** One image through the processor with every service call recorded; with the derivatives queue when asked. */
async function servicePass(key: string, bytes: Uint8Array, derivatives: boolean) {
  const base = derivatives ? fakesWithDerivatives() : fakes();
  base.images.put(key, bytes);
  const calls = new CallRecorder();
  const ref: ObjectRef = {
    bucket: "b",
    key,
    versionId: "v1",
    sequencer: "0A",
    size: bytes.length,
    eventName: "ObjectCreated:Put",
    eventTime: "2026-11-27T10:00:00Z",
  };
  const { results } = await processRecords([ref], [], recordProcessor(base.deps, calls), SETTINGS);
  if (results.some((r) => !r.ok)) throw new Error(`${key} failed`);
  return { serviceRoundTrips: calls.roundTrips, serviceRequests: calls.byService(), notice: calls.calls.includes("sns:Publish") };
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
    // Every service call too: the sequential round trips to all services.
    const calls = new CallRecorder();
    const deps = recordProcessor({ ...fakes().deps, images: s3 }, calls);
    const { results } = await processRecords([ref], [], deps, SETTINGS);
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
      serviceRoundTrips: calls.roundTrips,
      serviceRequests: calls.byService(),
      notice: calls.calls.includes("sns:Publish"),
      withRenditions: await servicePass(key, image.bytes, true),
    });
  }
  // The test fixtures (refusals and notices among them) as a set of their own.
  const fixtures = [];
  for (const file of readdirSync(FIXTURES)) {
    const bytes = readFileSync(join(FIXTURES, file));
    const plain = await servicePass(`fixtures/${file}`, bytes, false);
    // Typical: the image's one GET answered everything (no frame header past the first window).
    fixtures.push({
      frameInFirstWindow: plain.serviceRequests.s3 === 1,
      ...plain,
      withRenditions: await servicePass(`fixtures/${file}`, bytes, true),
    });
  }
  const figures = {
    budget: BUDGET,
    ...readCostFigures(images),
    services: serviceCallFigures(images),
    servicesWithRenditions: serviceCallFigures(images.map((i) => ({ ...i, ...i.withRenditions }))),
    fixtures: {
      images: fixtures.length,
      services: serviceCallFigures(fixtures),
      servicesWithRenditions: serviceCallFigures(fixtures.map((i) => ({ ...i, ...i.withRenditions }))),
    },
  };
  mkdirSync(join(ROOT, "build", "bench"), { recursive: true });
  writeFileSync(join(ROOT, "build", "bench", "reads.json"), JSON.stringify(figures, null, 2));
  // The paths the cost estimate prices; `npm run bench -- --write` commits them (cli/core/cost/).
  writeFileSync(join(ROOT, "build", "bench", "requests-per-image.json"), `${JSON.stringify(await measureRequestsPerImage(), null, 2)}\n`);

  // Assert: what the budgets in scripts/bench.mjs read is there and consistent.
  expect(figures.images).toBe(corpus.length);
  // The processor counts every GET it makes: its own figure and the fake S3's agree.
  expect(images.filter((i) => i.gets !== i.requests)).toEqual([]);
  expect(figures.roundTrips.max).toBeLessThanOrEqual(figures.requests.max);
  expect(figures.bytes.max).toBeLessThanOrEqual(BUDGET.maxBytes);
  // Every S3 round trip is one of all the services' round trips.
  expect(images.filter((i) => i.serviceRoundTrips < i.roundTrips)).toEqual([]);
}, 300_000);
