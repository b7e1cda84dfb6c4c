import type { DerivativeEntry, ItemState } from "./core/plan";

/** Where an image version is read from. */
export interface SourceObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

export type SourceRead =
  | { readonly kind: "read"; readonly bytes: Uint8Array }
  /** Final: the version was deleted. */
  | { readonly kind: "missing" }
  /** Final: the object is larger than the function may hold; nothing beyond its size was read. */
  | { readonly kind: "too-large"; readonly size: number }
  /** Final: S3 will never let the role read it (archive class, SSE-C, a foreign KMS key). */
  | { readonly kind: "unreadable"; readonly code: string };

/** What the derivatives function needs from AWS; anything thrown is a fault to retry. */
export interface SourceImages {
  read(ref: SourceObjectRef, maxBytes: number): Promise<SourceRead>;
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
  /** Adds the entries to the item's `Derivatives` map, if the item still records `sequencer`. */
  recordDerivatives(imageId: string, sequencer: string, entries: Readonly<Record<string, DerivativeEntry>>): Promise<ItemWrite>;
  /** Records why no renditions can be made of this version, if the item still records `sequencer`. */
  recordFailure(imageId: string, sequencer: string, outcome: FinalOutcome, reason: string): Promise<ItemWrite>;
}

export interface DerivativesDependencies {
  readonly images: SourceImages;
  readonly renditions: RenditionBucket;
  readonly store: DerivativesStore;
}
