// The requests and sequential round trips of each path an image takes, measured by running the
// functions' own code (processRecords, processBatch) against the unit tests' fakes with every port
// call recorded. What `image-pipeline cost` prices (cli/core/cost/requests-per-image.json) is this
// measurement, written by `npm run bench -- --write` and checked current by
// __tests__/cli/core/cost/requests.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DerivativesConfig } from "../../functions/image-derivatives/config";
import { resolveRenditions } from "../../functions/image-derivatives/core/renditions";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { processBatch } from "../../functions/image-derivatives/process-batch";
import type { ObjectRef } from "../../functions/image-processor/core/object-ref";
import { PROCESSOR_DEFAULTS } from "../../functions/image-processor/environment";
import type { KeyVersion } from "../../functions/image-processor/ports";
import { processRecords } from "../../functions/image-processor/process-event";
import { requestBody } from "../../functions/shared/derivative-request";
import { imageId } from "../../functions/shared/image-id";
import { fakeDependencies } from "../functions/image-derivatives/fakes";
import { orientedJpeg } from "../functions/image-derivatives/sources";
import { CONFIG, FakeImages, fakes, fakesWithDerivatives } from "../functions/image-processor/fakes";
import { CallRecorder, recordDerivatives, recordProcessor } from "./service-calls";

/** One path's figures: its requests by `<service>:<operation>` and its sequential round trips. */
export interface PathFigures {
  readonly roundTrips: number;
  readonly requests: Readonly<Record<string, number>>;
}

const FIXTURES = join(__dirname, "..", "fixtures", "images");
const SETTINGS = {
  ...CONFIG,
  budget: {
    windowBytes: PROCESSOR_DEFAULTS.readWindowBytes,
    maxGets: PROCESSOR_DEFAULTS.maxReadGets,
    maxBytes: PROCESSOR_DEFAULTS.maxReadBytes,
  },
};
const ref = (key: string, size: number, eventName = "ObjectCreated:Put", versionId = "v1"): ObjectRef => ({
  bucket: "images",
  key,
  versionId,
  sequencer: "0A",
  size,
  eventName,
  eventTime: "2026-11-27T10:00:00Z",
});

/** A versioned bucket after a user's DELETE: a delete marker is the latest, the upload under it. */
class DeletedImages extends FakeImages {
  override async versions(): Promise<readonly KeyVersion[]> {
    return [
      { versionId: "m1", isDeleteMarker: true, isLatest: true },
      { versionId: "v1", isDeleteMarker: false, isLatest: false },
    ];
  }
}

async function processorPath(
  file: string,
  options: { derivatives?: boolean; deleted?: boolean; notifyOnSuccess?: boolean } = {},
): Promise<PathFigures> {
  const bytes = readFileSync(join(FIXTURES, file));
  const base = options.derivatives ? fakesWithDerivatives() : fakes();
  const images = options.deleted ? new DeletedImages() : base.images;
  images.put(`uploads/${file}`, bytes);
  const recorder = new CallRecorder();
  const deps = recordProcessor({ ...base.deps, images }, recorder);
  const object = options.deleted
    ? ref(`uploads/${file}`, 0, "ObjectRemoved:DeleteMarkerCreated", "m1")
    : ref(`uploads/${file}`, bytes.length);
  const summary = await processRecords([object], [], deps, { ...SETTINGS, notifyOnSuccess: options.notifyOnSuccess ?? false });
  const failed = [...summary.results, ...summary.removals].find((r) => !r.ok);
  if (failed && !failed.ok) throw failed.error;
  return { roundTrips: recorder.roundTrips, requests: recorder.byRequest() };
}

async function derivativesPath(): Promise<PathFigures> {
  const config: DerivativesConfig = {
    tableName: "ImageMetadata-dev",
    bucketName: "image-derivatives-dev",
    environment: "dev",
    renditions: resolveRenditions(EXAMPLE_RENDITIONS),
    maxSourceBytes: 1024 * 1024,
    maxImagePixels: 16383 * 16383,
    memoryMb: 1536,
  };
  const id = imageId("images", "uploads/photo.jpg", "v1");
  const raw = fakeDependencies();
  raw.images.objects.set("uploads/photo.jpg#v1", await orientedJpeg(1));
  raw.store.items.set(id, { Status: "processed", Sequencer: "0A", Width: 300, Height: 200 });
  const recorder = new CallRecorder();
  const deps = recordDerivatives(raw, recorder);
  const request = { bucket: "images", key: "uploads/photo.jpg", versionId: "v1", imageId: id, sequencer: "0A" };
  const [result] = await processBatch([{ messageId: "m1", body: requestBody(request) }], deps, config);
  if (!result.ok || result.outcome !== "rendered") throw new Error(`expected renditions, got ${JSON.stringify(result)}`);
  return { roundTrips: recorder.roundTrips, requests: recorder.byRequest() };
}

/**
 * Each path an image takes, its header in the first window (the corpus's spread is BENCHMARKS.md's):
 * recorded without a notice, rejected with one, recorded with renditions requested, and deleted
 * (a delete marker); the derivatives function's request with the two example renditions.
 */
export async function measureRequestsPerImage() {
  return {
    source:
      "__tests__/helpers/requests-per-image.ts: the functions' own code against in-memory fakes, every service call recorded; written by npm run bench -- --write",
    processor: {
      processed: await processorPath("plain.png"),
      rejected: await processorPath("text-named.jpg"),
      processedRequestingRenditions: await processorPath("plain.png", { derivatives: true }),
      deleted: await processorPath("plain.png", { deleted: true }),
      deletedRequestingRenditions: await processorPath("plain.png", { deleted: true, derivatives: true }),
    },
    derivatives: {
      renditions: EXAMPLE_RENDITIONS.length,
      rendered: await derivativesPath(),
    },
  };
}
