import type { ImageFormat } from "../environment";
import { type HeaderStep, type HeaderWalker, type ImageHeader, ascii, needs, rejected } from "./image-header";
import { walkJpeg } from "./jpeg-header";
import { walkPng } from "./png-header";
import { type RangeReader, type ReadBudget, readHeader } from "./read-header";

export type { ImageFormat };

/** What the bytes of an object say it is. */
export type Inspection =
  | { readonly kind: "image"; readonly format: ImageFormat; readonly header: ImageHeader }
  | { readonly kind: "rejected"; readonly reason: string; readonly format?: ImageFormat; readonly header?: ImageHeader };

export interface InspectionLimits {
  /** Size of the whole object, to tell "not read yet" from "not there". */
  readonly objectSize: number;
  /** Largest accepted width × height. */
  readonly maxPixels: number;
  /** Formats accepted; any other is rejected, whatever it is. */
  readonly formats: readonly ImageFormat[];
}

const ISO_BRANDS: Record<string, ImageFormat> = {
  avif: "avif",
  avis: "avif",
  heic: "heic",
  heix: "heic",
  hevc: "heic",
  hevx: "heic",
  heim: "heic",
  heis: "heic",
  mif1: "heic",
  msf1: "heic",
};

/** The format by the magic bytes, whatever the key's suffix says. */
export function detectFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (...values: number[]) => bytes.length >= values.length && values.every((v, i) => bytes[i] === v);
  if (starts(0xff, 0xd8, 0xff)) return "jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a")) return "gif";
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return "tiff";
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === "ftyp") return ISO_BRANDS[ascii(bytes, 8, 4)];
  return undefined;
}

/**
 * `image-size`, loaded when an opt-in format or a rejection's description first needs it, not at
 * cold start (an `import` would run its module when the bundle loads; a `require` runs it here).
 */
const imageSize = (bytes: Uint8Array) => (require("image-size") as typeof import("image-size")).imageSize(bytes);

/**
 * Formats beyond JPEG and PNG, read by `image-size` from the bytes held from the start of
 * the object; more are asked for (within the budget) while it cannot tell.
 */
const prefixWalker =
  (format: ImageFormat): HeaderWalker =>
  (bytes) => {
    const held = bytes.contiguousPrefix;
    // image-size reads through DataViews of the underlying buffer: give it one of its own.
    const prefix = new Uint8Array(bytes.slice(0, held)!);
    try {
      const { width, height } = imageSize(prefix);
      if (validDimension(width) && validDimension(height)) return { kind: "header", header: { width, height } } satisfies HeaderStep;
    } catch {
      // not enough bytes yet, or corrupt
    }
    if (held < bytes.objectSize) return needs(held, 65536);
    return rejected(`truncated or corrupt ${format} header`);
  };

const WALKERS: Record<ImageFormat, HeaderWalker> = {
  jpeg: walkJpeg,
  png: walkPng,
  webp: prefixWalker("webp"),
  gif: prefixWalker("gif"),
  avif: prefixWalker("avif"),
  heic: prefixWalker("heic"),
  tiff: prefixWalker("tiff"),
};

const validDimension = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value > 0;

/** Names what an unaccepted object looks like, for the rejection reason. */
function describe(bytes: Uint8Array): string {
  const format = detectFormat(bytes);
  if (format) return format;
  try {
    return imageSize(new Uint8Array(bytes)).type ?? "unknown format";
  } catch {
    return "unknown format";
  }
}

export type ObjectInspection =
  | { readonly kind: "inspected"; readonly inspection: Inspection; readonly gets: number; readonly bytesRead: number }
  | { readonly kind: "missing"; readonly gets: number; readonly bytesRead: number };

/**
 * Judges the start of an object from `first` (its first window, already read by one GET, which
 * the counts include): its format by its bytes, then its header by following the format's own
 * structure, reading more within the read budget. Never throws on content.
 */
export async function inspectObject(
  first: Uint8Array,
  read: RangeReader,
  limits: InspectionLimits,
  budget: ReadBudget,
): Promise<ObjectInspection> {
  const size = limits.objectSize;
  // The GET of an empty object was still made (S3 answers its range with 416).
  if (size === 0) return { kind: "inspected", inspection: { kind: "rejected", reason: "empty object (0 bytes)" }, gets: 1, bytesRead: 0 };
  const format = detectFormat(first);
  if (!format || !limits.formats.includes(format)) {
    const accepted = limits.formats.map((f) => f.toUpperCase()).join(", ");
    return {
      kind: "inspected",
      inspection: {
        kind: "rejected",
        reason: `not an accepted image format by its bytes (accepted: ${accepted}; looks like: ${describe(first)})`,
      },
      gets: 1,
      bytesRead: first.length,
    };
  }
  const result = await readHeader(size, read, WALKERS[format], budget, first);
  if (result.kind === "missing") return result;
  const { step, gets, bytesRead } = result;
  if (step.kind === "rejected")
    return { kind: "inspected", inspection: { kind: "rejected", format, reason: step.reason }, gets, bytesRead };
  const { header } = step;
  const pixels = header.width * header.height;
  if (pixels > limits.maxPixels) {
    const reason = `${header.width}x${header.height} is ${pixels} pixels, over the limit of ${limits.maxPixels}`;
    return { kind: "inspected", inspection: { kind: "rejected", format, reason, header }, gets, bytesRead };
  }
  return { kind: "inspected", inspection: { kind: "image", format, header }, gets, bytesRead };
}

/** Inspects a whole object held in memory, through the same bounded reads (tests, tools). */
export function inspectBytes(bytes: Uint8Array, limits: Omit<InspectionLimits, "objectSize">, budget: ReadBudget) {
  const reader: RangeReader = async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length));
  return inspectObject(bytes.subarray(0, budget.windowBytes), reader, { ...limits, objectSize: bytes.length }, budget);
}

/** Content types that agree with each format. Generic types say nothing and are accepted. */
const CONTENT_TYPES: Record<ImageFormat, readonly string[]> = {
  jpeg: ["image/jpeg", "image/jpg", "image/pjpeg"],
  png: ["image/png", "image/x-png", "image/apng"],
  webp: ["image/webp"],
  gif: ["image/gif"],
  avif: ["image/avif"],
  heic: ["image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"],
  tiff: ["image/tiff", "image/tif"],
};
const GENERIC_CONTENT_TYPES = ["", "application/octet-stream", "binary/octet-stream"];

/** The reason a declared Content-Type contradicts the detected format, or undefined when it does not. */
export function contentTypeConflict(declared: string | undefined, format: ImageFormat): string | undefined {
  const type = (declared ?? "").split(";")[0].trim().toLowerCase();
  if (GENERIC_CONTENT_TYPES.includes(type) || CONTENT_TYPES[format].includes(type)) return undefined;
  return `declared content type ${JSON.stringify(declared)} contradicts the detected format ${format}`;
}
