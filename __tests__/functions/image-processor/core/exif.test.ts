import sharp from "sharp";
import { exifDateToIso, readExif } from "../../../../functions/image-processor/core/exif";
import { ByteRanges } from "../../../../functions/image-processor/core/byte-ranges";
import { walkJpeg } from "../../../../functions/image-processor/core/jpeg-header";

/** A JPEG written by libvips with the given EXIF, and the EXIF block the processor's walk finds in it. */
async function exifOf(exif: Record<string, Record<string, string>>, orientation?: number) {
  let image = sharp({ create: { width: 8, height: 4, channels: 3, background: "blue" } })
    .jpeg()
    .withExifMerge(exif);
  if (orientation) image = image.withMetadata({ orientation });
  const bytes = await image.toBuffer();
  const ranges = new ByteRanges(bytes.length);
  ranges.add(0, bytes);
  const step = walkJpeg(ranges, new Set());
  if (step.kind !== "header") throw new Error(`no header: ${JSON.stringify(step)}`);
  return step.header.exif;
}

describe("readExif", () => {
  it("reads orientation, the time taken with its offset, make and model", async () => {
    const exif = await exifOf(
      { IFD0: { Make: "Canon", Model: "EOS R5" }, IFD2: { DateTimeOriginal: "2024:05:06 07:08:09", OffsetTimeOriginal: "+02:00" } },
      6,
    );

    expect(await readExif(exif, { withCoordinates: false })).toEqual({
      orientation: 6,
      takenAt: "2024-05-06T07:08:09+02:00",
      cameraMake: "Canon",
      cameraModel: "EOS R5",
      hasGps: false,
    });
  });

  it("records that a photo has a position, and the position itself only when asked to", async () => {
    const exif = await exifOf({
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 30/1" },
    });

    const without = await readExif(exif, { withCoordinates: false });
    expect(without.hasGps).toBe(true);
    expect(without).not.toHaveProperty("latitude");
    expect(without).not.toHaveProperty("longitude");
    expect(await readExif(exif, { withCoordinates: true })).toMatchObject({ hasGps: true, latitude: 51.5, longitude: -0.125 });
  });

  it("yields no facts from damaged EXIF, rather than failing the image", async () => {
    expect(await readExif(new Uint8Array([0x49, 0x49, 0x2a, 0, 0xff, 0xff, 0xff, 0xff]), { withCoordinates: true })).toEqual({
      hasGps: false,
    });
    expect(await readExif(undefined, { withCoordinates: true })).toEqual({ hasGps: false });
  });
});

describe("exifDateToIso", () => {
  it.each([
    ["2024:05:06 07:08:09", undefined, "2024-05-06T07:08:09"],
    ["2024:05:06 07:08:09", "-05:00", "2024-05-06T07:08:09-05:00"],
    ["2024:13:06 07:08:09", undefined, undefined],
    ["    :  :     :  :  ", undefined, undefined],
    [12, undefined, undefined],
  ])("%p %p → %p", (date, offset, iso) => {
    expect(exifDateToIso(date, offset)).toBe(iso);
  });
});
