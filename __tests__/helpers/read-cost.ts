/**
 * What reading one image cost: S3 requests of any kind, sequential round trips, GETs, bytes, and
 * whether its frame header lay in the first window.
 */
export interface ImageReadCost {
  readonly requests: number;
  readonly roundTrips: number;
  readonly gets: number;
  readonly bytes: number;
  readonly frameInFirstWindow: boolean;
}

/** The S3 model of BENCHMARKS.md: a round trip's first byte, and the transfer rate after it. */
export const LATENCY_MODEL = { msPerRoundTrip: 25, bytesPerMs: 100_000 } as const;

/** The nearest-rank percentile of ascending `sorted`. */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
};

/** Modelled time before any decision: every round trip's first byte, and every byte at the transfer rate. */
export const modelledMs = (cost: Pick<ImageReadCost, "roundTrips" | "bytes">) =>
  cost.roundTrips * LATENCY_MODEL.msPerRoundTrip + cost.bytes / LATENCY_MODEL.bytesPerMs;

/** p50, p99 and max of each cost over a corpus, and of the ordinary images (frame header in the first window) apart. */
export function readCostFigures(images: readonly ImageReadCost[]) {
  const ordinary = images.filter((i) => i.frameInFirstWindow);
  return {
    images: images.length,
    lateHeaders: images.length - ordinary.length,
    requests: spread(images.map((i) => i.requests)),
    roundTrips: spread(images.map((i) => i.roundTrips)),
    gets: spread(images.map((i) => i.gets)),
    bytes: spread(images.map((i) => i.bytes)),
    modelledMs: { ...spread(images.map(modelledMs)), model: LATENCY_MODEL },
    frameHeaderInFirstWindow: {
      images: ordinary.length,
      requestsMax: Math.max(0, ...ordinary.map((i) => i.requests)),
      getsMax: Math.max(0, ...ordinary.map((i) => i.gets)),
      bytesMax: Math.max(0, ...ordinary.map((i) => i.bytes)),
    },
  };
}

/** What one image cost across every service: sequential round trips, requests by service, and whether it sent a notice. */
export interface ImageServiceCost extends Pick<ImageReadCost, "frameInFirstWindow"> {
  readonly serviceRoundTrips: number;
  readonly serviceRequests: Readonly<Record<string, number>>;
  readonly notice: boolean;
}

/**
 * Sequential round trips to all services per image (p50 / p99 / max), over the corpus and over its
 * typical images (frame header in the first window, no notice) apart, and the mean requests per image by service.
 */
export function serviceCallFigures(images: readonly ImageServiceCost[]) {
  const typical = images.filter((i) => i.frameInFirstWindow && !i.notice);
  const services = [...new Set(images.flatMap((i) => Object.keys(i.serviceRequests)))].sort();
  return {
    roundTrips: spread(images.map((i) => i.serviceRoundTrips)),
    typical: { images: typical.length, roundTrips: spread(typical.map((i) => i.serviceRoundTrips)) },
    notices: images.filter((i) => i.notice).length,
    meanRequestsByService: Object.fromEntries(
      services.map((s) => [s, images.reduce((sum, i) => sum + (i.serviceRequests[s] ?? 0), 0) / images.length]),
    ),
  };
}
