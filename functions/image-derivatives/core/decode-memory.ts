/**
 * How much memory making an image's renditions takes, from what its item records, so that an
 * image whose decode cannot fit the function's memory is refused (a final `too-large`) before its
 * bytes are read, instead of the function being killed on every delivery of its batch.
 *
 * The figures are peak resident memory measured in fresh processes with the bundled sharp
 * (libvips), over generated worst cases (noise, which no encoder can shrink), rounded up:
 * __tests__/integration/decode-memory.integration.test.ts checks them at the limits they give.
 */
export interface DecodeFacts {
  readonly Width?: number;
  readonly Height?: number;
  readonly FileSize?: number;
  readonly DetectedFormat?: string;
  /** JPEG: progressive (libjpeg holds the whole image's coefficients, 2 bytes each, per component). */
  readonly Progressive?: boolean;
  readonly BitDepth?: number;
  readonly ColorModel?: string;
  readonly HasAlpha?: boolean;
}

const MIB = 1024 * 1024;

/** Node, the SDK and libvips' threads and buffers before the first pixel, whatever the image (measured: up to about 230 MiB for PNGs). */
export const FIXED_OVERHEAD_MIB = 240;
/** The share of the function's memory renditions may plan to use; the rest is headroom for the JavaScript heap and measurement noise. */
export const USABLE_SHARE = 0.9;

/** Peak bytes per pixel of the pipeline (decode, orient, resize, encode) for an image with these facts. */
export function bytesPerPixel(facts: DecodeFacts): number {
  const components = facts.ColorModel === "cmyk" || facts.ColorModel === "ycck" ? 4 : facts.ColorModel === "gray" ? 1 : 3;
  switch (facts.DetectedFormat) {
    case "jpeg":
      // Progressive: whole-image coefficient buffers (measured 6.2 B/px at 4:4:4); baseline streams (3.3 B/px).
      return facts.Progressive === false ? 4 : Math.ceil((7 * components) / 3);
    case "png": {
      // The decoded image held about 2.5 times over (measured 20 B/px for 16-bit RGBA, 10 B/px for 8-bit RGBA, interlaced or not).
      const channels = (facts.ColorModel === "gray" ? 1 : 3) + (facts.HasAlpha ? 1 : 0);
      const sample = (facts.BitDepth ?? 8) > 8 ? 2 : 1;
      return Math.max(4, 2.5 * channels * sample);
    }
    default:
      // WebP, GIF, TIFF, AVIF and the rest: as an 8-bit RGBA PNG.
      return 10;
  }
}

/** Peak resident memory, in MiB, of making this image's renditions; undefined when its size is not recorded. */
export function decodeMemoryMiB(facts: DecodeFacts): number | undefined {
  if (!facts.Width || !facts.Height) return undefined;
  return FIXED_OVERHEAD_MIB + (facts.FileSize ?? 0) / MIB + (facts.Width * facts.Height * bytesPerPixel(facts)) / MIB;
}

/** Why an image cannot be decoded within `memoryMb`, or undefined when it can (or its size is not recorded). */
export function decodeTooLarge(facts: DecodeFacts, memoryMb: number): string | undefined {
  const needed = decodeMemoryMiB(facts);
  const usable = memoryMb * USABLE_SHARE;
  if (needed === undefined || needed <= usable) return undefined;
  const kind = facts.DetectedFormat === "jpeg" && facts.Progressive !== false ? "progressive JPEG" : (facts.DetectedFormat ?? "image");
  return `decoding its ${facts.Width}×${facts.Height} pixels (${kind}) takes about ${Math.ceil(needed)} MiB, more than the ${Math.floor(usable)} MiB its ${memoryMb} MB function may plan to use`;
}
