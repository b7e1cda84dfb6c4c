import { MAX_IMAGE_PIXELS } from "../shared/limits";
/**
 * Names of the environment variables the stack sets on the function and the handler reads.
 * Both sides import this file, so a rename on one side cannot silently break the other.
 * The first three keep the original CloudFormation design's names.
 */
export const ENV = {
  table: "METADATA_TABLE",
  topicArn: "SNS_TOPIC_ARN",
  environment: "ENVIRONMENT",
  readWindowBytes: "READ_WINDOW_BYTES",
  maxImagePixels: "MAX_IMAGE_PIXELS",
  notifyOnSuccess: "NOTIFY_ON_SUCCESS",
  maxReadGets: "MAX_READ_GETS",
  maxReadBytes: "MAX_READ_BYTES",
  formats: "IMAGE_FORMATS",
  recordGpsCoordinates: "RECORD_GPS_COORDINATES",
  serviceName: "POWERTOOLS_SERVICE_NAME",
  metricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
} as const;

/** Service name and metrics namespace of the processor, shared by the function and the dashboard. */
export const TELEMETRY = {
  serviceName: "image-processor",
  metricsNamespace: "ImageProcessing",
} as const;

/** Metric names the processor emits (EMF) and the dashboard charts. */
export const METRICS = {
  processed: "ImagesProcessed",
  rejected: "ImagesRejected",
  missing: "ImagesMissing",
  unreadable: "ImagesUnreadable",
  failed: "ImagesFailed",
  duplicates: "DuplicateEvents",
  skipped: "ObjectsSkipped",
  bytesRead: "BytesRead",
  latency: "ProcessingLatency",
} as const;

/**
 * Defaults of the processor's settings. The stack always sets them (constructs/config/defaults.ts
 * takes its defaults from here), so the handler's fallbacks and the stack's agree.
 */
export const PROCESSOR_DEFAULTS = {
  readWindowBytes: 65536,
  maxImagePixels: MAX_IMAGE_PIXELS,
  notifyOnSuccess: false,
  /**
   * Reads grow 4× each (read-header.ts), so four reach the byte budget when they follow one
   * another through a JPEG's leading segments; the rest is for walks that jump (TIFF's IFDs).
   */
  maxReadGets: 8,
  /** 2 MiB: past 2 MB of leading ICC/XMP/EXIF to a JPEG's frame header, in at most four round trips; what one image may hold in memory. */
  maxReadBytes: 2097152,
  formats: ["jpeg", "png"] as readonly ("jpeg" | "png")[],
  recordGpsCoordinates: false,
} as const;

/** Every format the processor can inspect; the original CloudFormation design's two are the default. */
export const IMAGE_FORMATS = ["jpeg", "png", "webp", "gif", "avif", "heic", "tiff"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The detail types of S3's events on EventBridge that the processor takes (the rule's pattern and the parser share them). */
export const EVENTBRIDGE_DETAIL_TYPES = { created: "Object Created", deleted: "Object Deleted" } as const;

/** Key suffixes of each format; the processor matches them in any letter case. */
export const FORMAT_SUFFIXES: Readonly<Record<ImageFormat, readonly string[]>> = {
  jpeg: [".jpg", ".jpeg"],
  png: [".png"],
  webp: [".webp"],
  gif: [".gif"],
  avif: [".avif"],
  heic: [".heic", ".heif"],
  tiff: [".tif", ".tiff"],
};
