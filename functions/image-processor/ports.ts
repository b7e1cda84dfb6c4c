import type { MetadataItem, ObjectHead } from "./core/outcome";
import type { Notice } from "./core/notice";
import type { ObjectRef } from "./core/object-ref";
import type { DerivativeRequest } from "../shared/derivative-request";

/** S3 refuses to read the object for a reason that no retry changes; `code` is S3's error code. */
export class UnreadableObjectError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "UnreadableObjectError";
  }
}

/**
 * What the processor needs from AWS, as the adapters provide it. Final conditions
 * (an object that is gone, an event already recorded) come back as values, and an object S3
 * will never let it read as an {@link UnreadableObjectError}; anything else thrown is a fault
 * to retry.
 */
export interface ImageSource {
  /**
   * The first ranged GET of the event's version, from offset 0: what S3 says of the version (its
   * size, type, ETag, version id and time, as a HeadObject would) and its first `windowBytes` (all of
   * it when smaller); undefined when the object or version no longer exists. One request, so the
   * decision waits for one round trip to S3, not a HeadObject and then a GET.
   */
  open(ref: ObjectRef, windowBytes: number): Promise<OpenedObject | undefined>;
  /** One ranged GET; undefined when the object or version no longer exists. */
  read(ref: ObjectRef, start: number, length: number): Promise<Uint8Array | undefined>;
  /** The key's versions and delete markers, newest first (ListObjectVersions); for deletions only. */
  versions(bucket: string, key: string): Promise<readonly KeyVersion[]>;
}

/** What the first GET of an object version answered. */
export interface OpenedObject {
  readonly head: ObjectHead;
  /** The bytes from offset 0: the first window, or the whole object when it is smaller. */
  readonly first: Uint8Array;
}

/** One version of a key, or a delete marker. */
export interface KeyVersion {
  readonly versionId: string;
  readonly isDeleteMarker: boolean;
  readonly isLatest: boolean;
}

export type SaveResult =
  /**
   * The item was written (new, or newer than the stored one). `renditionsKept`: it rewrote the
   * facts of the same version (a reprocess or adopt event) and kept the renditions recorded on it.
   */
  | { readonly outcome: "written"; readonly notificationPending: boolean; readonly renditionsKept?: boolean }
  /**
   * The same event was recorded before; its notification may still be pending (a crash
   * between write and publish), in which case `stored` is the item as recorded.
   */
  | { readonly outcome: "duplicate"; readonly notificationPending: boolean; readonly stored?: MetadataItem }
  /** A newer event for the same object is already recorded; this one is dropped. */
  | { readonly outcome: "stale"; readonly notificationPending: false };

export interface SaveOptions {
  readonly replaceOtherProcessorVersion?: boolean;
  /**
   * Also over an item the original CloudFormation design's function wrote (it has no processor version): an
   * adopt event rewriting it in place (core/legacy-item.ts). Implies `replaceOtherProcessorVersion`.
   */
  readonly adoptLegacyItem?: boolean;
  /**
   * A version current again (its delete marker removed): also over the version's own `deleted` item
   * of the same sequencer, which the deletion that raced the undelete wrote (process-removal.ts).
   */
  readonly restore?: boolean;
}

export interface MetadataStore {
  /**
   * Conditional put: only if no item exists for the id or the stored one is older (by sequencer);
   * with `replaceOtherProcessorVersion`, also over an item of the same sequencer that another
   * processor version wrote (a reprocess, see core/backfill.ts); with `adoptLegacyItem`, also over
   * an item of the original CloudFormation design's function.
   */
  save(item: MetadataItem, notify: boolean, options?: SaveOptions): Promise<SaveResult>;
  /** Clears the pending-notification mark once the notice is published. */
  markNotified(item: MetadataItem): Promise<void>;
  /**
   * Marks the item of a deleted version `deleted` (DeletedAt, the deletion's sequencer) and drops
   * its personal facts (position, time taken, camera). When the version's creation is not recorded
   * yet: with `tombstone`, creates the item so that a late creation event is stale; without, writes
   * nothing (`unrecorded`). `stale` when a newer event is recorded.
   */
  markDeleted(deleted: DeletedItem, tombstone: boolean): Promise<"written" | "stale" | "unrecorded">;
  /**
   * Whether the version's item is `deleted` by a deletion no newer than `sequencer`: a version that
   * is current again is then recorded again. Asked with a conditional write that changes nothing,
   * as the processor's role may write items but never read them.
   */
  isTombstone(imageId: string, sequencer: string): Promise<boolean>;
}

/** What a deletion records of one version. */
export interface DeletedItem {
  readonly ImageId: string;
  readonly BucketName: string;
  readonly ObjectKey: string;
  readonly VersionId: string;
  readonly Sequencer: string;
  readonly DeletedAt: string;
}

export interface Notifier {
  publish(notice: Notice): Promise<void>;
}

/** The derivatives queue (opt-in): one request per processed item. */
export interface DerivativesQueue {
  request(request: DerivativeRequest): Promise<void>;
}

export interface Dependencies {
  readonly images: ImageSource;
  readonly store: MetadataStore;
  readonly notifier: Notifier;
  /** Present when the pipeline makes derivatives. */
  readonly derivatives?: DerivativesQueue;
  readonly now: () => Date;
}
