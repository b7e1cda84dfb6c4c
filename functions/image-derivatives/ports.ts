import type { DerivativeEntry, ItemState } from "./core/plan";

/** Where an image version is read from. */
export interface SourceObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

export type SourceRead =
  | { readonly kind: "read"; readonly bytes: Uint8Array }
  /** Final: the object is larger than the function may hold; nothing beyond its size was read. */
  | { readonly kind: "too-large"; readonly size: number }
  /** Final: S3 will never let the role read it (archive class, SSE-C, a foreign KMS key). */
  | { readonly kind: "unreadable"; readonly code: string };

/** What one GET of a key's current version answered. */
export interface CurrentRead {
  /** The current version's id ("null" for one written while versioning was off); undefined when the key has none. */
  readonly current: string | undefined;
  /** Its bytes, when they were wanted; absent when not (their body was not read). */
  readonly source?: SourceRead;
}

/** What the derivatives function needs from AWS; anything thrown is a fault to retry. */
export interface SourceImages {
  /**
   * One GET of the key without a version id: S3 answers with the current version, and names it.
   * `wanted` is asked (with that version id) before the body is read; the body is read only when it
   * says yes, within `maxBytes` (by the size S3 announces). So the current version's id and its
   * bytes come in one round trip, not a HeadObject and then a GET of the version.
   */
  readCurrent(bucket: string, key: string, maxBytes: number, wanted: (current: string) => Promise<boolean>): Promise<CurrentRead>;
  /**
   * The version id of the object's current version ("null" for one written while versioning was
   * off); undefined when the key has no current version (deleted).
   */
  currentVersion(bucket: string, key: string): Promise<string | undefined>;
}

export interface RenditionBucket {
  /** Writes one rendition; the same key and bytes again change nothing a reader sees. */
  put(key: string, bytes: Uint8Array, contentType: string, source: SourceObjectRef): Promise<void>;
  /** Deletes one rendition (a delete marker: the bucket's lifecycle removes the bytes); a key that is not there is no error. */
  delete(key: string): Promise<void>;
}

/** The outcome of a conditional write to the item: `stale` when it no longer records that version. */
export type ItemWrite = "written" | "stale";

export type FinalOutcome = "too-large" | "undecodable" | "unreadable" | "missing" | "key-too-long";

export interface DerivativesStore {
  /** The item as it is now (a strongly consistent read); undefined when there is none. */
  get(imageId: string): Promise<ItemState | undefined>;
  /**
   * Adds the entries to the item's `Derivatives` map (creating it when there is none), if the item
   * still records `sequencer`. `mapExists`: whether the item had the map when it was read, so the
   * write that fits is tried first.
   */
  recordDerivatives(
    imageId: string,
    sequencer: string,
    entries: Readonly<Record<string, DerivativeEntry>>,
    mapExists: boolean,
  ): Promise<ItemWrite>;
  /** Records why no renditions can be made of this version, if the item still records `sequencer`. */
  recordFailure(imageId: string, sequencer: string, outcome: FinalOutcome, reason: string): Promise<ItemWrite>;
}

export interface DerivativesDependencies {
  readonly images: SourceImages;
  readonly renditions: RenditionBucket;
  readonly store: DerivativesStore;
}
