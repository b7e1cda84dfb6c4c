// Read-cost figures for `npm run bench` (BENCHMARKS.md): round trips, GETs and bytes per image
// over the whole differential corpus, read through the processor's own bounded reader at its
// defaults, and the latency they model on S3. Writes build/bench/reads.json; `scripts/bench.mjs`
// applies the budgets. (The moto subset of the same corpus, through the deployed bundle and
// measured at the proxy, is __tests__/integration/corpus.integration.test.ts.)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspectObject } from "../../functions/image-processor/core/image-inspection";
import type { RangeReader } from "../../functions/image-processor/core/read-header";
import { PROCESSOR_DEFAULTS } from "../../functions/image-processor/environment";
import { generateCorpus, jpegSegments } from "../differential/corpus";
import { readCostFigures } from "../helpers/read-cost";

const ROOT = join(__dirname, "..", "..");
const BUDGET = {
  windowBytes: PROCESSOR_DEFAULTS.readWindowBytes,
  maxGets: PROCESSOR_DEFAULTS.maxReadGets,
  maxBytes: PROCESSOR_DEFAULTS.maxReadBytes,
};
const LIMITS = { maxPixels: PROCESSOR_DEFAULTS.maxImagePixels, formats: ["jpeg", "png"] as ("jpeg" | "png")[] };

it("measures round trips, GETs and bytes per image over the differential corpus", async () => {
  // Arrange
  const corpus = await generateCorpus(Number(process.env.CORPUS_SIZE ?? 1200));
  const images = [];

  // Act: each read is one GET; a round trip is a set of GETs in flight together.
  for (const image of corpus) {
    let inFlight = 0;
    let roundTrips = 0;
    const read: RangeReader = async (offset, length) => {
      if (inFlight++ === 0) roundTrips++;
      await Promise.resolve();
      inFlight--;
      return image.bytes.subarray(offset, Math.min(image.bytes.length, offset + length));
    };
    const result = await inspectObject(read, { ...LIMITS, objectSize: image.bytes.length }, BUDGET);
    const sof = image.name.startsWith("png")
      ? undefined
      : jpegSegments(image.bytes).find(([, m]) => m >= 0xc0 && m <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(m));
    images.push({
      roundTrips,
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
  expect(figures.roundTrips.max).toBeLessThanOrEqual(figures.gets.max);
  expect(figures.bytes.max).toBeLessThanOrEqual(BUDGET.maxBytes);
}, 300_000);
