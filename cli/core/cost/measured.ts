import MEASURED from "./durations.json";

/**
 * The durations `npm run bench` measured, which the estimate takes: read from durations.json, which
 * the run that writes BENCHMARKS.md writes beside it (`npm run bench -- --write`); a test reads them
 * back from BENCHMARKS.md, so the two cannot drift. They were measured against the emulator: real S3
 * and DynamoDB latencies make durations longer. The cold/warm mix is the usage's `cold_start_rate`
 * (default 1 %): a cold invocation adds its INIT phase, which Lambda bills.
 */
export const DURATIONS = {
  /** The processor's duration per image, warm, in ms: "cost: GB-seconds per 1,000 images". */
  processorWarmMs: MEASURED.processorWarmMs,
  /** What a cold start adds: loading the bundle and creating the clients, then the first event's tracing set-up. */
  processorColdExtraMs: MEASURED.processorColdStartMs + MEASURED.processorFirstEventMs,
  /** The derivatives handler's duration (thumbnail + large) by the photo's megapixels: warm, and cold (a fresh process). */
  derivativesMsByMegapixels: MEASURED.derivativesMsByMegapixels,
  /** The renditions those durations were measured making. */
  derivativesMeasuredRenditions: MEASURED.derivativesMeasuredRenditions,
} as const;

/** The derivatives duration at a photo size: linear between the measured sizes, the nearest one outside them. */
export function derivativesMs(megapixels: number, start: "warm" | "cold"): number {
  const points = DURATIONS.derivativesMsByMegapixels;
  if (megapixels <= points[0].megapixels) return points[0][start];
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (megapixels <= b.megapixels) return a[start] + ((b[start] - a[start]) * (megapixels - a.megapixels)) / (b.megapixels - a.megapixels);
  }
  return points[points.length - 1][start];
}
