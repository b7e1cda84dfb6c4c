import sharp from "sharp";
import type { ResolvedRendition } from "./renditions";

/** One rendition as encoded: its bytes and what they hold. */
export interface Rendered {
  readonly rendition: ResolvedRendition;
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

/** libvips could not decode the image (a corrupt or unsupported body, or too many pixels): no retry changes that. */
export class UndecodableImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UndecodableImageError";
  }
}

// One image at a time per function instance; libvips' operation cache would only hold memory.
sharp.cache(false);

const encoderOptions = (r: ResolvedRendition) => {
  switch (r.format) {
    case "png":
      return r.quality === undefined ? { compressionLevel: 9 } : { compressionLevel: 9, palette: true, quality: r.quality };
    case "jpeg":
      return { quality: r.quality ?? 80, mozjpeg: true };
    case "webp":
      return { quality: r.quality ?? 80 };
    case "avif":
      return { quality: r.quality ?? 50 };
  }
};

/**
 * A rendition's size from the upright image's, as sharp computes it resizing that image itself
 * (never enlarged; `cover` crops to at most the size asked), so that renditions made from the one
 * decode have exactly the sizes they would have had each from the compressed bytes. `resized` is
 * the size before the crop.
 */
export function renditionSize(rendition: Pick<ResolvedRendition, "width" | "height" | "fit">, width: number, height: number) {
  let across = rendition.width === undefined ? undefined : width / rendition.width;
  let down = rendition.height === undefined ? undefined : height / rendition.height;
  if (across !== undefined && down !== undefined) {
    const shrink = rendition.fit === "cover" ? Math.min(across, down) : Math.max(across, down);
    across = down = shrink;
  }
  const shrink = Math.min(Math.max(1, across ?? down!), width, height);
  const resized = { width: Math.max(1, Math.round(width / shrink)), height: Math.max(1, Math.round(height / shrink)) };
  if (rendition.fit !== "cover") return { ...resized, resized };
  return { width: Math.min(rendition.width!, resized.width), height: Math.min(rendition.height!, resized.height), resized };
}

/**
 * The decoded image is held once, as raw 8-bit sRGB pixels, when it is at most this large; a
 * larger one (a rendition near the full size of a big image) is made pipeline by pipeline from
 * the compressed bytes, as the decode-memory model (decode-memory.ts) measures it.
 */
export const MAX_SHARED_DECODE_BYTES = 64 * 1024 * 1024;

/**
 * Makes the renditions of one image. The image is turned upright by its EXIF orientation
 * first, converted to sRGB, and every rendition is written without metadata: no EXIF (so
 * never a GPS position), no XMP, no ICC profile. Never enlarged. Deterministic: the same
 * bytes and settings give the same output, so a redelivered request writes nothing new.
 *
 * One decode serves every rendition: libvips decodes (shrinking on load where the format allows)
 * to the largest size any rendition needs, and each rendition is resized and encoded from those
 * pixels, one after the other (a function below 1,769 MB has less than one vCPU; one at a time
 * also keeps to one pipeline's memory).
 */
export async function renderRenditions(
  source: Uint8Array,
  renditions: readonly ResolvedRendition[],
  maxPixels: number,
): Promise<Rendered[]> {
  let upright: sharp.Sharp;
  let size: { width: number; height: number };
  try {
    upright = sharp(source, { limitInputPixels: maxPixels, failOn: "error" }).rotate();
    size = (await upright.clone().metadata()).autoOrient;
  } catch (error) {
    throw new UndecodableImageError((error as Error).message);
  }
  const sizes = renditions.map((r) => renditionSize(r, size.width, size.height));
  const scale = Math.max(...sizes.map(({ resized }) => Math.max(resized.width / size.width, resized.height / size.height)));
  const decoded = { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
  const shared = decoded.width * decoded.height * 4 <= MAX_SHARED_DECODE_BYTES ? await decodeOnce(upright, decoded) : undefined;
  const rendered: Rendered[] = [];
  for (const [i, rendition] of renditions.entries()) {
    const { width, height } = sizes[i];
    const pipeline = (
      shared
        ? sharp(shared.data, { raw: shared.info }).resize({
            width,
            height,
            fit: rendition.fit === "cover" ? "cover" : "fill",
            position: "centre",
          })
        : upright
            .clone()
            .toColourspace("srgb")
            .resize({ width: rendition.width, height: rendition.height, fit: rendition.fit, position: "centre", withoutEnlargement: true })
    ).toFormat(rendition.format, encoderOptions(rendition));
    try {
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
      rendered.push({ rendition, bytes: data, width: info.width, height: info.height });
    } catch (error) {
      throw new UndecodableImageError((error as Error).message);
    }
  }
  return rendered;
}

/** The upright image as raw 8-bit sRGB pixels of `size` (its alpha kept). */
async function decodeOnce(upright: sharp.Sharp, size: { width: number; height: number }) {
  try {
    const { data, info } = await upright
      .clone()
      .resize({ ...size, fit: "fill" })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    return { data, info: { width: info.width, height: info.height, channels: info.channels } };
  } catch (error) {
    throw new UndecodableImageError((error as Error).message);
  }
}
