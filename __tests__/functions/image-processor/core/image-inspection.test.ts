import fc from "fast-check";
import { contentTypeConflict, detectFormat, inspectImage } from "../../../../functions/image-processor/core/image-inspection";
import { image } from "../../../fixtures";

const WINDOW = 65536;
const limits = (bytes: Uint8Array) => ({ objectSize: bytes.length, maxPixels: 16383 * 16383 });
/** Inspects only the first window of a fixture, as the processor's first read does. */
const firstWindow = (name: string) => {
  const bytes = image(name);
  return inspectImage(bytes.subarray(0, WINDOW), limits(bytes));
};

describe("inspectImage", () => {
  it.each([
    ["baseline-exif.jpg", "jpeg", 64, 48],
    ["progressive.jpg", "jpeg", 40, 30],
    ["plain.png", "png", 32, 20],
    ["interlaced.png", "png", 24, 16],
  ])("reads %s as a %s of %dx%d", (name, format, width, height) => {
    expect(firstWindow(name)).toEqual({ kind: "image", format, width, height });
  });

  it("asks for more bytes when a JPEG's size marker lies past the window, and finds it in the next", () => {
    const bytes = image("late-sof.jpg");

    expect(firstWindow("late-sof.jpg")).toEqual({ kind: "needs-more-bytes", format: "jpeg" });
    expect(inspectImage(bytes.subarray(0, 2 * WINDOW), limits(bytes))).toEqual({ kind: "image", format: "jpeg", width: 20, height: 10 });
  });

  it.each([
    ["text-named.jpg", "not a JPEG or PNG by its bytes (looks like: unknown format)"],
    ["gif-named.png", "not a JPEG or PNG by its bytes (looks like: gif)"],
    ["empty.png", "empty object (0 bytes)"],
    ["absurd-dimensions.png", "100000x100000 is 10000000000 pixels, over the limit of 268402689"],
  ])("rejects %s: %s", (name, reason) => {
    expect(firstWindow(name)).toMatchObject({ kind: "rejected", reason });
  });

  it("rejects a truncated PNG header without reading past the bytes it was given", () => {
    // A view into a larger buffer: the bytes after the view must not be read as the header.
    const whole = image("plain.png");
    const truncated = whole.subarray(0, 20);

    const result = inspectImage(truncated, { objectSize: 20, maxPixels: 1e9 });

    expect(result).toMatchObject({ kind: "rejected", format: "png" });
    expect(result.kind === "rejected" && result.reason).toMatch(/^truncated or corrupt png header/);
  });

  it("asks for more bytes, not a verdict, when a truncated header is only the start of a longer object", () => {
    const whole = image("baseline-exif.jpg");

    expect(inspectImage(whole.subarray(0, 30), { objectSize: whole.length, maxPixels: 1e9 })).toEqual({
      kind: "needs-more-bytes",
      format: "jpeg",
    });
  });

  it("applies the pixel limit", () => {
    const bytes = image("baseline-exif.jpg");

    expect(inspectImage(bytes, { objectSize: bytes.length, maxPixels: 64 * 48 - 1 })).toMatchObject({ kind: "rejected" });
    expect(inspectImage(bytes, { objectSize: bytes.length, maxPixels: 64 * 48 })).toMatchObject({ kind: "image" });
  });

  it("never throws or hangs on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat(100_000), (bytes, extra) => {
        const result = inspectImage(bytes, { objectSize: bytes.length + extra, maxPixels: 1e8 });
        expect(["image", "needs-more-bytes", "rejected"]).toContain(result.kind);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on real image headers with arbitrary corruption", () => {
    const seeds = ["baseline-exif.jpg", "progressive.jpg", "plain.png", "interlaced.png"].map(image);
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 20 }),
        fc.nat(),
        (seed, edits, cut) => {
          const bytes = new Uint8Array(seed.subarray(0, (cut % seed.length) + 1));
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const result = inspectImage(bytes, { objectSize: seed.length, maxPixels: 1e8 });
          if (result.kind === "image") expect(result.width * result.height).toBeLessThanOrEqual(1e8);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("detectFormat", () => {
  it("goes by the bytes, not the name", () => {
    expect(detectFormat(image("plain.png"))).toBe("png");
    expect(detectFormat(image("progressive.jpg"))).toBe("jpeg");
    expect(detectFormat(image("gif-named.png"))).toBeUndefined();
    expect(detectFormat(new Uint8Array([0xff, 0xd8]))).toBeUndefined();
  });
});

describe("contentTypeConflict", () => {
  it.each([
    [undefined, "jpeg"],
    ["image/jpeg", "jpeg"],
    ["IMAGE/JPEG; charset=binary", "jpeg"],
    ["image/png", "png"],
    ["binary/octet-stream", "png"],
    ["application/octet-stream", "jpeg"],
  ] as const)("accepts %p for %s", (declared, format) => {
    expect(contentTypeConflict(declared, format)).toBeUndefined();
  });

  it.each([
    ["image/png", "jpeg"],
    ["text/plain", "png"],
    ["image/gif", "png"],
  ] as const)("rejects %p for a %s", (declared, format) => {
    expect(contentTypeConflict(declared, format)).toBe(
      `declared content type ${JSON.stringify(declared)} contradicts the detected format ${format}`,
    );
  });
});
