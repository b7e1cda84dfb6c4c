import type { MetadataItem, ObjectHead } from "../../../functions/image-processor/core/outcome";
import type { Notice } from "../../../functions/image-processor/core/notice";
import type { ObjectRef } from "../../../functions/image-processor/core/object-ref";
import type {
  DeletedItem,
  Dependencies,
  DerivativesQueue,
  ImageSource,
  KeyVersion,
  MetadataStore,
  Notifier,
  OpenedObject,
  SaveOptions,
  SaveResult,
} from "../../../functions/image-processor/ports";
import type { DerivativeRequest } from "../../../functions/shared/derivative-request";
import type { ProcessorConfig } from "../../../functions/image-processor/config";

/**
 * In-memory objects, keyed by key; records every ranged GET, the first (`open`, which answers the
 * head as S3's ranged GET does) included.
 */
export class FakeImages implements ImageSource {
  readonly objects = new Map<string, { bytes: Uint8Array; contentType?: string }>();
  readonly reads: { key: string; start: number; length: number }[] = [];
  failNext?: Error;

  put(key: string, bytes: Uint8Array, contentType?: string) {
    this.objects.set(key, { bytes, contentType });
    return this;
  }

  async open(ref: ObjectRef, windowBytes: number): Promise<OpenedObject | undefined> {
    const first = await this.read(ref, 0, windowBytes);
    const object = this.objects.get(ref.key);
    if (!object || !first) return undefined;
    const head: ObjectHead = { size: object.bytes.length, contentType: object.contentType, eTag: '"etag"', versionId: ref.versionId };
    return { head, first };
  }

  async read(ref: ObjectRef, start: number, length: number): Promise<Uint8Array | undefined> {
    this.throwIfFailing();
    this.reads.push({ key: ref.key, start, length });
    return this.objects.get(ref.key)?.bytes.subarray(start, start + length);
  }

  /** One version per object held, the latest; deleted keys have none (the moto tests show the real listing). */
  async versions(_bucket: string, key: string): Promise<readonly KeyVersion[]> {
    return this.objects.has(key) ? [{ versionId: "v1", isDeleteMarker: false, isLatest: true }] : [];
  }

  private throwIfFailing() {
    const error = this.failNext;
    this.failNext = undefined;
    if (error) throw error;
  }
}

const PERSONAL = new Set(["GpsLatitude", "GpsLongitude", "HasGps", "TakenAt", "CameraMake", "CameraModel"]);

/** A table with the same conditional-write rules as the DynamoDB adapter. */
export class FakeStore implements MetadataStore {
  readonly items = new Map<string, MetadataItem & { NotificationPending?: boolean }>();

  async save(item: MetadataItem, notify: boolean, options: SaveOptions = {}): Promise<SaveResult> {
    const stored = this.items.get(item.ImageId);
    const replaceOther = options.replaceOtherProcessorVersion === true || options.adoptLegacyItem === true;
    const replaces =
      (replaceOther && stored?.Sequencer === item.Sequencer && stored.ProcessorVersion !== item.ProcessorVersion) ||
      (options.adoptLegacyItem === true && stored !== undefined && stored.ProcessorVersion === undefined) ||
      (options.restore === true && stored?.Sequencer === item.Sequencer && (stored.Status as string) === "deleted");
    if (!stored || stored.Sequencer < item.Sequencer || replaces) {
      this.items.set(item.ImageId, notify ? { ...item, NotificationPending: true } : item);
      return { outcome: "written", notificationPending: notify };
    }
    if (stored.Sequencer > item.Sequencer) return { outcome: "stale", notificationPending: false };
    return stored.NotificationPending === true
      ? { outcome: "duplicate", notificationPending: true, stored }
      : { outcome: "duplicate", notificationPending: false };
  }

  async markDeleted(tombstone: DeletedItem, createTombstone: boolean): Promise<"written" | "stale" | "unrecorded"> {
    const stored = this.items.get(tombstone.ImageId);
    if (!stored && !createTombstone) return "unrecorded";
    if (stored && stored.Sequencer >= tombstone.Sequencer) return "stale";
    const kept = Object.fromEntries(Object.entries(stored ?? {}).filter(([name]) => !PERSONAL.has(name) && name !== "NotificationPending"));
    this.items.set(tombstone.ImageId, { ...kept, ...tombstone, Status: "deleted" } as never);
    return "written";
  }

  async isTombstone(imageId: string, sequencer: string) {
    const stored = this.items.get(imageId);
    return (stored?.Status as string) === "deleted" && stored!.Sequencer <= sequencer;
  }

  async markNotified(item: MetadataItem): Promise<void> {
    const stored = this.items.get(item.ImageId);
    if (stored?.Sequencer === item.Sequencer) this.items.set(item.ImageId, { ...stored, NotificationPending: undefined });
  }
}

export class FakeNotifier implements Notifier {
  readonly notices: Notice[] = [];
  failures = 0;

  async publish(notice: Notice): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error("Service Unavailable"), { name: "ServiceUnavailable" });
    }
    this.notices.push(notice);
  }
}

/** The derivatives queue: the requests it was sent. */
export class FakeDerivativesQueue implements DerivativesQueue {
  readonly requests: DerivativeRequest[] = [];
  failures = 0;

  async request(request: DerivativeRequest): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error("Service Unavailable"), { name: "ServiceUnavailable" });
    }
    this.requests.push(request);
  }
}

export const CONFIG: ProcessorConfig = {
  tableName: "ImageMetadata-test",
  topicArn: "arn:aws:sns:eu-west-1:123456789012:ImageProcessingNotifications-test",
  environment: "test",
  budget: { windowBytes: 65536, maxGets: 8, maxBytes: 2097152 },
  formats: ["jpeg", "png"],
  recordGpsCoordinates: false,
  maxImagePixels: 16383 * 16383,
  notifyOnSuccess: false,
  concurrency: 4,
};

export function fakes() {
  const images = new FakeImages();
  const store = new FakeStore();
  const notifier = new FakeNotifier();
  const deps: Dependencies = { images, store, notifier, now: () => new Date("2026-11-27T10:15:31.000Z") };
  return { images, store, notifier, deps };
}

/** The fakes with a derivatives queue, as a pipeline with `derivatives` has. */
export function fakesWithDerivatives() {
  const base = fakes();
  const queue = new FakeDerivativesQueue();
  return { ...base, queue, deps: { ...base.deps, derivatives: queue } };
}
