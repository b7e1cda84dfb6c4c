import sharp from "sharp";
import { ResolvedRendition } from "./renditions";

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
 * Makes the renditions of one image. The image is turned upright by its EXIF orientation
 * first, converted to sRGB, and every rendition is written without metadata: no EXIF (so
 * never a GPS position), no XMP, no ICC profile. Never enlarged. Deterministic: the same
 * bytes and settings give the same output, so a redelivered request writes nothing new.
 */
export async function renderRenditions(source: Uint8Array, renditions: readonly ResolvedRendition[], maxPixels: number): Promise<Rendered[]> {
  let upright: sharp.Sharp;
  try {
    upright = sharp(source, { limitInputPixels: maxPixels, failOn: "error" }).rotate();
    await upright.clone().metadata();
  } catch (error) {
    throw new UndecodableImageError((error as Error).message);
  }
  const rendered: Rendered[] = [];
  for (const rendition of renditions) {
    const pipeline = upright
      .clone()
      .resize({ width: rendition.width, height: rendition.height, fit: rendition.fit, position: "centre", withoutEnlargement: true })
      .toColourspace("srgb")
      .toFormat(rendition.format, encoderOptions(rendition));
    try {
      const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
      rendered.push({ rendition, bytes: data, width: info.width, height: info.height });
    } catch (error) {
      throw new UndecodableImageError((error as Error).message);
    }
  }
  return rendered;
}
