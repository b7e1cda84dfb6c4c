import { NULL_VERSION, imageId } from "../../shared/image-id";
import type { ExifFacts } from "./exif";
import type { ColorModel, ImageHeader } from "./image-header";
import type { ImageFormat } from "./image-inspection";
import { ADOPT_EVENT, legacyImageId } from "./legacy-item";
import type { InvalidRecord, ObjectRef } from "./object-ref";
import { version } from "../../../package.json";

/**
 * - processed: an accepted image format with sane dimensions.
 * - rejected: final; the bytes are not an acceptable image.
 * - missing: final; the object or version was deleted before it was processed.
 * - unreadable: final; S3 refuses to read it for a reason no retry changes (archived storage
 *   class, SSE-C, a KMS key the role may not use); `Reason` names S3's error code.
 * - deleted: the version was deleted after it was recorded (`DeletedAt`); written by a deletion
 *   event, never by a decision (process-removal.ts).
 */
export type ImageStatus = "processed" | "rejected" | "missing" | "unreadable";

/**
 * The version of the processor that wrote an item, so `backfill --reprocess` can find items of older
 * code: the package's own (the bundler inlines this one field), so each release moves it.
 */
export const PROCESSOR_VERSION: string = version;

/**
 * What S3 says of the object version: the headers of its first ranged GET (the size from
 * Content-Range), as a HeadObject would answer them.
 */
export interface ObjectHead {
  readonly size: number;
  readonly contentType?: string;
  readonly eTag?: string;
  readonly versionId?: string;
  /** When the version was written (S3's Last-Modified). */
  readonly lastModified?: Date;
}

/** The decision for one object, before it is stored. */
export interface Decision {
  readonly status: ImageStatus;
  readonly reason?: string;
  readonly format?: ImageFormat;
  readonly width?: number;
  readonly height?: number;
  /** What the image's header says beyond its size (processed images). */
  readonly header?: ImageHeader;
  /** The facts of its EXIF block, when it has one. */
  readonly exif?: ExifFacts;
}

/** One item of the metadata table. Attribute names follow the original CloudFormation design where it had them. */
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
  /** EXIF orientation, 1 (as stored) when the image says nothing. */
  readonly Orientation?: number;
  /** Width and height as the image is meant to be shown: swapped for orientations 5–8. */
  readonly DisplayWidth?: number;
  readonly DisplayHeight?: number;
  /** JPEG: a progressive frame. */
  readonly Progressive?: boolean;
  /** PNG: Adam7 interlacing. */
  readonly Interlaced?: boolean;
  readonly BitDepth?: number;
  readonly ColorModel?: ColorModel;
  readonly HasAlpha?: boolean;
  readonly HasIccProfile?: boolean;
  readonly Animated?: boolean;
  readonly TakenAt?: string;
  readonly CameraMake?: string;
  readonly CameraModel?: string;
  /** Whether the EXIF has a position; the position itself only with `recordGpsCoordinates`. */
  readonly HasGps?: boolean;
  readonly GpsLatitude?: number;
  readonly GpsLongitude?: number;
  readonly ProcessorVersion: string;
}

/**
 * The EXIF orientation (1, as stored, when there is none) and the size as the image is meant
 * to be shown: orientations 5–8 turn the picture a quarter, so width and height swap.
 */
export function orientationAttributes(width: number, height: number, orientation: number | undefined) {
  const Orientation = orientation ?? 1;
  const swapped = Orientation >= 5 && Orientation <= 8;
  return { Orientation, DisplayWidth: swapped ? height : width, DisplayHeight: swapped ? width : height };
}

/** The item's id: the version's own, or for an adopt event the id the original CloudFormation design's function gave the key. */
export const itemIdOf = (ref: ObjectRef): string =>
  ref.eventName === ADOPT_EVENT ? legacyImageId(ref.bucket, ref.key) : imageId(ref.bucket, ref.key, ref.versionId);

/** ETags arrive quoted from S3's responses and bare in events; store them bare. */
export const bareETag = (eTag: string | undefined) => eTag?.replace(/^"|"$/g, "");

function detailAttributes(decision: Decision): Partial<MetadataItem> {
  const { header, exif, format } = decision;
  if (!header) return {};
  return {
    ...orientationAttributes(header.width, header.height, exif?.orientation),
    ...(format === "png" ? { Interlaced: header.progressive } : format === "jpeg" ? { Progressive: header.progressive } : {}),
    BitDepth: header.bitDepth,
    ColorModel: header.colorModel,
    HasAlpha: header.hasAlpha,
    HasIccProfile: header.hasIccProfile,
    Animated: header.animated || undefined,
    TakenAt: exif?.takenAt,
    CameraMake: exif?.cameraMake,
    CameraModel: exif?.cameraModel,
    HasGps: exif ? exif.hasGps : undefined,
    GpsLatitude: exif?.latitude,
    GpsLongitude: exif?.longitude,
  };
}

/** The item that records an event record no object could be read from (see InvalidRecord). */
export function buildInvalidRecordItem(record: InvalidRecord, now: Date): MetadataItem {
  return {
    ImageId: `invalid-record-${record.fingerprint}`,
    BucketName: record.bucket ?? "",
    ObjectKey: record.key ?? "",
    VersionId: NULL_VERSION,
    Sequencer: "0".repeat(32),
    FileSize: 0,
    UploadTimestamp: Math.floor(now.getTime() / 1000),
    UploadDate: now.toISOString().slice(0, 10),
    ProcessedAt: now.toISOString(),
    Status: "rejected",
    Reason: `event record ${record.index} could not be read: ${record.reason}`,
    ProcessorVersion: PROCESSOR_VERSION,
  };
}

/** Builds the table item for a decision. `now` is when processing finished. */
export function buildItem(ref: ObjectRef, head: ObjectHead | undefined, decision: Decision, now: Date): MetadataItem {
  // A Batch Operations task carries no upload time: the version's own tells the day it belongs to.
  const uploaded = ref.timeFromObject && head?.lastModified ? head.lastModified : new Date(ref.eventTime);
  const item: MetadataItem = {
    ImageId: itemIdOf(ref),
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
    ...detailAttributes(decision),
    ProcessorVersion: PROCESSOR_VERSION,
  };
  // DynamoDB rejects undefined attribute values; leave absent ones out.
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined)) as unknown as MetadataItem;
}
