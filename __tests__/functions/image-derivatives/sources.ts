import sharp from "sharp";

/**
 * Source images for the derivatives tests, made with libvips itself. The upright picture is
 * 300 × 200: its left half red, its right half blue. Stored with an EXIF orientation, the
 * pixels are turned so that a viewer that honours the tag shows that upright picture.
 */
export const UPRIGHT = { width: 300, height: 200 };

const halves = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "blue" } }).composite([
    { input: { create: { width: width / 2, height, channels: 3, background: "red" } }, left: 0, top: 0 },
  ]);

/** How each orientation's stored pixels are turned from the upright picture (the inverse of what a viewer does). */
const STORED_ROTATION: Record<number, number> = { 1: 0, 3: 180, 6: 270, 8: 90 };

export async function orientedJpeg(orientation: 1 | 3 | 6 | 8, extraExif?: Record<string, Record<string, string>>): Promise<Buffer> {
  const upright = await halves(UPRIGHT.width, UPRIGHT.height).png().toBuffer();
  let stored = sharp(upright).rotate(STORED_ROTATION[orientation]).jpeg({ quality: 95 }).withMetadata({ orientation });
  if (extraExif) stored = stored.withExifMerge(extraExif);
  return stored.toBuffer();
}

/** A photo with a GPS position in its EXIF (the privacy rule's test case). */
export const jpegWithGps = () =>
  orientedJpeg(1, {
    IFD0: { Make: "TestCam" },
    IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 30/1" },
  });

/** A CMYK JPEG, as print workflows make them. */
export const cmykJpeg = () => halves(UPRIGHT.width, UPRIGHT.height).toColourspace("cmyk").jpeg({ quality: 90 }).toBuffer();

/** A 16-bit RGBA PNG with a transparent right half. */
export async function png16WithAlpha(): Promise<Buffer> {
  const { width, height } = UPRIGHT;
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      rgba[at] = 200;
      rgba[at + 1] = 40;
      rgba[at + 2] = 40;
      rgba[at + 3] = x < width / 2 ? 255 : 0;
    }
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .toColourspace("rgb16")
    .png()
    .toBuffer();
}

/** Mean colour of a region of an image (after its EXIF orientation is applied), channel by channel. */
export async function regionMean(image: Buffer, region: { left: number; top: number; width: number; height: number }): Promise<number[]> {
  // stats() reads its input, not the pipeline's output: extract the region first (as PNG, which keeps an opaque alpha).
  const stats = await sharp(await sharp(image).rotate().extract(region).png().toBuffer()).stats();
  return stats.channels.map((c) => Math.round(c.mean));
}
