import type { ObjectHead } from "../../../functions/image-processor/core/outcome";
import type { ObjectRef } from "../../../functions/image-processor/core/object-ref";
import type { ImageSource, KeyVersion, OpenedObject } from "../../../functions/image-processor/ports";

interface Entry {
  readonly versionId: string;
  readonly bytes?: Uint8Array;
}

/**
 * A versioned bucket as S3 keeps one: each key's versions and delete markers, newest first; a GET
 * without a version id reads the current one, a GET of a delete marker's id is refused as missing.
 * Its listing is what ListObjectVersions answers at the moment it is asked, so a test can change
 * the bucket between two calls of one event (`beforeListing`).
 */
export class VersionedBucket implements ImageSource {
  private readonly keys = new Map<string, Entry[]>();
  private next = 1;
  /** Runs once, before the next listing is answered: S3 changed meanwhile. */
  beforeListing?: () => void;

  put(key: string, bytes: Uint8Array): string {
    return this.push(key, { versionId: `v${this.next++}`, bytes });
  }

  /** A DeleteObject without a version id: a delete marker; its id. */
  deleteMarker(key: string): string {
    return this.push(key, { versionId: `m${this.next++}` });
  }

  /** A DeleteObject of a version id: that version, or delete marker, gone for good (a marker's: S3's undelete). */
  deleteVersion(key: string, versionId: string): void {
    this.keys.set(
      key,
      (this.keys.get(key) ?? []).filter((entry) => entry.versionId !== versionId),
    );
  }

  async open(ref: ObjectRef, windowBytes: number): Promise<OpenedObject | undefined> {
    const bytes = this.bytesOf(ref);
    if (!bytes) return undefined;
    const head: ObjectHead = { size: bytes.length, contentType: "image/jpeg", eTag: '"etag"', versionId: ref.versionId };
    return { head, first: bytes.subarray(0, windowBytes) };
  }

  async read(ref: ObjectRef, start: number, length: number): Promise<Uint8Array | undefined> {
    return this.bytesOf(ref)?.subarray(start, start + length);
  }

  async versions(_bucket: string, key: string): Promise<readonly KeyVersion[]> {
    const change = this.beforeListing;
    this.beforeListing = undefined;
    change?.();
    return (this.keys.get(key) ?? []).map((entry, i) => ({
      versionId: entry.versionId,
      isDeleteMarker: entry.bytes === undefined,
      isLatest: i === 0,
    }));
  }

  private push(key: string, entry: Entry): string {
    this.keys.set(key, [entry, ...(this.keys.get(key) ?? [])]);
    return entry.versionId;
  }

  private bytesOf(ref: ObjectRef): Uint8Array | undefined {
    const entries = this.keys.get(ref.key) ?? [];
    const entry = ref.versionId === undefined ? entries[0] : entries.find((e) => e.versionId === ref.versionId);
    return entry?.bytes;
  }
}
