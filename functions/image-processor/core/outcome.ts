import { createHash } from "node:crypto";
import { ImageFormat } from "./image-inspection";
import { ObjectRef } from "./object-ref";

/**
 * - processed: a JPEG or PNG with sane dimensions.
 * - rejected: final; the bytes are not an acceptable image.
 * - missing: final; the object or version was deleted before it was processed.
 */
export type ImageStatus = "processed" | "rejected" | "missing";

/** What S3 says of the object version (HeadObject). */
export interface ObjectHead {
  readonly size: number;
  readonly contentType?: string;
  readonly eTag?: string;
  readonly versionId?: string;
}

/** The decision for one object, before it is stored. */
export interface Decision {
  readonly status: ImageStatus;
  readonly reason?: string;
  readonly format?: ImageFormat;
  readonly width?: number;
  readonly height?: number;
}

/** One item of the metadata table. Attribute names follow the source design where it had them. */
export interface MetadataItem {
  readonly ImageId: string;
  readonly BucketName: string;
  readonly ObjectKey: string;
  readonly VersionId: string;
  readonly Sequencer: string;
  readonly FileSize: number;
  readonly ContentType?: string;
  readonly DetectedFormat?: ImageFormat;
  readonly Width?: number;
  readonly Height?: number;
  readonly ETag?: string;
  readonly UploadTimestamp: number;
  readonly UploadDate: string;
  readonly ProcessedAt: string;
  readonly Status: ImageStatus;
  readonly Reason?: string;
}

/** The version id stored for objects uploaded while versioning was off (S3's own word for it). */
export const NULL_VERSION = "null";

/**
 * Deterministic id of one object version: the same event delivered again maps to the same
 * item. NUL separators keep ("a", "b/c") and ("a/b", "c") apart.
 */
export function imageId(bucket: string, key: string, versionId: string | undefined): string {
  return createHash("sha256")
    .update([bucket, key, versionId ?? NULL_VERSION].join("\u0000"))
    .digest("hex");
}

/** ETags arrive quoted from HeadObject and bare in events; store them bare. */
const bareETag = (eTag: string | undefined) => eTag?.replace(/^"|"$/g, "");

/** Builds the table item for a decision. `now` is when processing finished. */
export function buildItem(ref: ObjectRef, head: ObjectHead | undefined, decision: Decision, now: Date): MetadataItem {
  const uploaded = new Date(ref.eventTime);
  const item: MetadataItem = {
    ImageId: imageId(ref.bucket, ref.key, ref.versionId),
    BucketName: ref.bucket,
    ObjectKey: ref.key,
    VersionId: ref.versionId ?? NULL_VERSION,
    Sequencer: ref.sequencer,
    FileSize: head?.size ?? ref.size,
    ContentType: head?.contentType,
    DetectedFormat: decision.format,
    Width: decision.width,
    Height: decision.height,
    ETag: bareETag(head?.eTag ?? ref.eTag),
    UploadTimestamp: Math.floor(uploaded.getTime() / 1000),
    UploadDate: uploaded.toISOString().slice(0, 10),
    ProcessedAt: now.toISOString(),
    Status: decision.status,
    Reason: decision.reason,
  };
  // DynamoDB rejects undefined attribute values; leave absent ones out.
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as unknown as MetadataItem;
}
