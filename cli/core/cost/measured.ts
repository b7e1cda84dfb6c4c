/**
 * The figures BENCHMARKS.md measured (`npm run bench`), which the estimate takes its durations and
 * reads from; a test reads them back from BENCHMARKS.md, so the two cannot drift. They were
 * measured against the emulator: real S3 and DynamoDB latencies make durations longer.
 */
export const MEASURED = {
  /** The processor's duration per image (one invocation, warm), in ms: "cost: GB-seconds per 1,000 images". */
  processorMsPerImage: 232,
  /** GETs per image, median over the corpus: "corpus: GETs per image p50 / p99 / max". */
  processorGetsPerImage: 1,
  /** The derivatives handler's warm duration (thumbnail + large) by the photo's megapixels. */
  derivativesMsByMegapixels: [
    { megapixels: 1.92, ms: 442 },
    { megapixels: 12, ms: 741 },
    { megapixels: 24, ms: 684 },
  ],
  /** The renditions those durations were measured making. */
  derivativesMeasuredRenditions: 2,
} as const;

/** The derivatives duration at a photo size: linear between the measured sizes, the nearest one outside them. */
export function derivativesMs(megapixels: number): number {
  const points = MEASURED.derivativesMsByMegapixels;
  if (megapixels <= points[0].megapixels) return points[0].ms;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (megapixels <= b.megapixels) return a.ms + ((b.ms - a.ms) * (megapixels - a.megapixels)) / (b.megapixels - a.megapixels);
  }
  return points[points.length - 1].ms;
}
