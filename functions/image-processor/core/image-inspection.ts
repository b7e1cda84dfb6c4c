import { imageSize } from "image-size";
import { JPG } from "image-size/types/jpg";
import { PNG } from "image-size/types/png";

export type ImageFormat = "jpeg" | "png";

/** What the first bytes of an object say it is. */
export type Inspection =
  | { readonly kind: "image"; readonly format: ImageFormat; readonly width: number; readonly height: number }
  /** A JPEG or PNG whose dimensions were not in the bytes read, and the object has more. */
  | { readonly kind: "needs-more-bytes"; readonly format: ImageFormat }
  | { readonly kind: "rejected"; readonly reason: string; readonly format?: ImageFormat };

export interface InspectionLimits {
  /** Size of the whole object, to tell "not read yet" from "not there". */
  readonly objectSize: number;
  /** Largest accepted width × height. */
  readonly maxPixels: number;
}

const matches = (check: (input: Uint8Array) => boolean, bytes: Uint8Array): boolean => {
  try {
    return check(bytes);
  } catch {
    return false; // a PNG signature without its IHDR chunk, for example
  }
};

/** The format by the magic bytes, whatever the key's suffix says. */
export function detectFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && matches(JPG.validate, bytes) && bytes[2] === 0xff) return "jpeg";
  if (matches(PNG.validate, bytes)) return "png";
  return undefined;
}

/** Names what a non-JPEG/PNG looks like, for the rejection reason. */
function otherFormat(bytes: Uint8Array): string {
  try {
    return imageSize(bytes).type ?? "unknown format";
  } catch {
    return "unknown format";
  }
}

const validDimension = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0;

/**
 * Decides what the bytes read from the start of an object are. Pure: no I/O, never throws.
 * `image-size` reads the headers; this adds the rules (JPEG or PNG only, sane dimensions).
 */
export function inspectImage(input: Uint8Array, limits: InspectionLimits): Inspection {
  // image-size reads through DataViews of the underlying ArrayBuffer; a view into a larger
  // (pooled) buffer would let it read past the bytes we have. Give it a buffer of its own.
  const bytes = new Uint8Array(input);
  if (limits.objectSize === 0 || bytes.length === 0) return { kind: "rejected", reason: "empty object (0 bytes)" };

  const format = detectFormat(bytes);
  if (!format) {
    return { kind: "rejected", reason: `not a JPEG or PNG by its bytes (looks like: ${otherFormat(bytes)})` };
  }
  const more = bytes.length < limits.objectSize;

  let width: number | undefined;
  let height: number | undefined;
  let problem = "no dimensions in header";
  try {
    ({ width, height } = imageSize(bytes));
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }

  if (!validDimension(width) || !validDimension(height)) {
    if (width === 0 || height === 0) return { kind: "rejected", format, reason: `${format} declares zero width or height` };
    if (more) return { kind: "needs-more-bytes", format };
    return { kind: "rejected", format, reason: `truncated or corrupt ${format} header (${problem})` };
  }
  if (width * height > limits.maxPixels) {
    return {
      kind: "rejected",
      format,
      reason: `${width}x${height} is ${width * height} pixels, over the limit of ${limits.maxPixels}`,
    };
  }
  return { kind: "image", format, width, height };
}

/** Content types that agree with each format. Generic types say nothing and are accepted. */
const CONTENT_TYPES: Record<ImageFormat, readonly string[]> = {
  jpeg: ["image/jpeg", "image/jpg", "image/pjpeg"],
  png: ["image/png", "image/x-png"],
};
const GENERIC_CONTENT_TYPES = ["", "application/octet-stream", "binary/octet-stream"];

/** The reason a declared Content-Type contradicts the detected format, or undefined when it does not. */
export function contentTypeConflict(declared: string | undefined, format: ImageFormat): string | undefined {
  const type = (declared ?? "").split(";")[0].trim().toLowerCase();
  if (GENERIC_CONTENT_TYPES.includes(type) || CONTENT_TYPES[format].includes(type)) return undefined;
  return `declared content type ${JSON.stringify(declared)} contradicts the detected format ${format}`;
}
