import sharp from "sharp";
import { UndecodableImageError, renderRenditions, renditionSize } from "../../../../functions/image-derivatives/core/render";
import { resolveRenditions } from "../../../../functions/image-derivatives/core/renditions";
import { EXAMPLE_RENDITIONS } from "../../../../functions/image-derivatives/environment";
import { UPRIGHT, cmykJpeg, jpegWithGps, orientedJpeg, png16WithAlpha, regionMean } from "../sources";

const MAX_PIXELS = 16383 * 16383;
const inside = resolveRenditions([{ name: "half", width: 150, height: 150, format: "png" }]);
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const near = (actual: number[], expected: number[]) => actual.slice(0, 3).every((v, i) => Math.abs(v - expected[i]) <= 40);

describe("renderRenditions (checked with libvips, through sharp)", () => {
  it.each([1, 3, 6, 8] as const)("turns an image with EXIF orientation %i upright, then strips the tag", async (orientation) => {
    // Arrange
    const source = await orientedJpeg(orientation);
    // Act
    const [rendition] = await renderRenditions(source, inside, MAX_PIXELS);
    // Assert: landscape, red on the left and blue on the right, as the viewer of the source sees it
    const meta = await sharp(rendition.bytes).metadata();
    expect([meta.width, meta.height, rendition.width, rendition.height]).toEqual([150, 100, 150, 100]);
    expect(meta.orientation).toBeUndefined();
    expect(near(await regionMean(rendition.bytes, { left: 5, top: 5, width: 60, height: 90 }), RED)).toBe(true);
    expect(near(await regionMean(rendition.bytes, { left: 85, top: 5, width: 60, height: 90 }), BLUE)).toBe(true);
  });

  it("writes no metadata: no EXIF (so no GPS position), no XMP, no ICC profile", async () => {
    // Arrange: the source has a GPS position, as libvips reads it
    const source = await jpegWithGps();
    expect((await sharp(source).metadata()).exif?.includes(Buffer.from("GPS"))).toBeDefined();
    // Act
    const rendered = await renderRenditions(
      source,
      resolveRenditions([...EXAMPLE_RENDITIONS, { name: "j", width: 100, format: "jpeg" }]),
      MAX_PIXELS,
    );
    // Assert
    for (const { bytes } of rendered) {
      const meta = await sharp(bytes).metadata();
      expect({ exif: meta.exif, xmp: meta.xmp, icc: meta.icc }).toEqual({ exif: undefined, xmp: undefined, icc: undefined });
    }
  });

  it("converts a CMYK JPEG to sRGB", async () => {
    const source = await cmykJpeg();
    expect((await sharp(source).metadata()).space).toBe("cmyk");
    const [rendition] = await renderRenditions(source, resolveRenditions([{ name: "w", width: 150 }]), MAX_PIXELS);
    const meta = await sharp(rendition.bytes).metadata();
    expect([meta.format, meta.space, meta.channels]).toEqual(["webp", "srgb", 3]);
    expect(near(await regionMean(rendition.bytes, { left: 5, top: 5, width: 60, height: 90 }), RED)).toBe(true);
  });

  it("keeps the transparency of a 16-bit PNG with alpha, in 8 bits", async () => {
    const source = await png16WithAlpha();
    expect((await sharp(source).metadata()).depth).toBe("ushort");
    const rendered = await renderRenditions(
      source,
      resolveRenditions([
        { name: "p", width: 150, format: "png" },
        { name: "w", width: 150 },
      ]),
      MAX_PIXELS,
    );
    for (const { bytes } of rendered) {
      const meta = await sharp(bytes).metadata();
      expect([meta.hasAlpha, meta.depth]).toEqual([true, "uchar"]);
      const alpha = async (left: number) => (await regionMean(bytes, { left, top: 10, width: 40, height: 80 }))[3];
      expect(await alpha(10)).toBeGreaterThan(250);
      expect(await alpha(100)).toBeLessThan(5);
    }
  });

  it("crops to the exact size for cover, fits inside otherwise, and never enlarges", async () => {
    const source = await orientedJpeg(1);
    const rendered = await renderRenditions(
      source,
      resolveRenditions([
        { name: "square", width: 64, height: 64, fit: "cover" },
        { name: "narrow", width: 100, height: 100 },
        { name: "tall", height: 50 },
        { name: "big", width: 4000, height: 4000 },
      ]),
      MAX_PIXELS,
    );
    expect(rendered.map((r) => [r.rendition.name, r.width, r.height])).toEqual([
      ["square", 64, 64],
      ["narrow", 100, 67],
      ["tall", 75, 50],
      ["big", UPRIGHT.width, UPRIGHT.height],
    ]);
  });

  it.each(["webp", "avif", "jpeg", "png"] as const)("encodes %s, as libvips reads it back", async (format) => {
    const [rendition] = await renderRenditions(
      await orientedJpeg(6),
      resolveRenditions([{ name: "f", width: 120, format, quality: 60 }]),
      MAX_PIXELS,
    );
    const meta = await sharp(rendition.bytes).metadata();
    expect(meta.format).toBe(format === "avif" ? "heif" : format);
    expect([meta.width, meta.height]).toEqual([120, 80]);
  });

  it("gives the same bytes for the same image and settings (a redelivery writes nothing new)", async () => {
    const source = await orientedJpeg(8);
    const renditions = resolveRenditions([...EXAMPLE_RENDITIONS, { name: "a", width: 100, format: "avif" }]);
    const first = await renderRenditions(source, renditions, MAX_PIXELS);
    const second = await renderRenditions(source, renditions, MAX_PIXELS);
    expect(second.map((r) => r.bytes.equals(first[second.indexOf(r)].bytes))).toEqual(renditions.map(() => true));
  });

  it("refuses bytes libvips cannot decode, and images over the pixel limit, as undecodable", async () => {
    await expect(renderRenditions(Buffer.from("not an image"), inside, MAX_PIXELS)).rejects.toBeInstanceOf(UndecodableImageError);
    const truncated = (await orientedJpeg(1)).subarray(0, 400);
    await expect(renderRenditions(truncated, inside, MAX_PIXELS)).rejects.toBeInstanceOf(UndecodableImageError);
    await expect(renderRenditions(await orientedJpeg(1), inside, 100 * 100)).rejects.toThrow(/pixel limit/);
  });
});

describe("renditionSize", () => {
  it.each([
    // [upright width, height, rendition, size]: the asked dimension exactly, the other the nearest pixel to the aspect ratio.
    [1910, 2991, { width: 425, height: 1928, fit: "inside" as const }, { width: 425, height: 666 }],
    [190, 1373, { width: 38, fit: "inside" as const }, { width: 38, height: 275 }],
    [1311, 173, { height: 46, fit: "inside" as const }, { width: 349, height: 46 }],
    // Never enlarged: a rendition larger than the image is the image's size.
    [300, 200, { width: 4000, height: 4000, fit: "inside" as const }, { width: 300, height: 200 }],
    // cover: exactly the size asked, or the image's side where the image is smaller.
    [4000, 3000, { width: 320, height: 320, fit: "cover" as const }, { width: 320, height: 320 }],
    [100, 400, { width: 320, height: 320, fit: "cover" as const }, { width: 100, height: 320 }],
  ])("sizes a %dx%d image's rendition %j as %j", (width, height, rendition, expected) => {
    expect(renditionSize(rendition, width, height)).toMatchObject(expected);
  });
});
