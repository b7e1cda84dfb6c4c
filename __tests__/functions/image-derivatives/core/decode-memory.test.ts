import { bytesPerPixel, decodeMemoryMiB, decodeTooLarge } from "../../../../functions/image-derivatives/core/decode-memory";

describe("decode memory", () => {
  it("charges a progressive JPEG its whole-image coefficients, and a baseline one much less", () => {
    const progressive = bytesPerPixel({ DetectedFormat: "jpeg", Progressive: true, ColorModel: "rgb" });
    const baseline = bytesPerPixel({ DetectedFormat: "jpeg", Progressive: false, ColorModel: "rgb" });
    const cmyk = bytesPerPixel({ DetectedFormat: "jpeg", Progressive: true, ColorModel: "cmyk" });

    expect(progressive).toBeGreaterThanOrEqual(6.2); // measured at 4:4:4 (see the integration test)
    expect(baseline).toBeLessThan(progressive);
    expect(cmyk).toBeGreaterThan(progressive);
  });

  it("charges a PNG by its decoded samples: 16-bit RGBA four times 8-bit gray with alpha's half", () => {
    expect(bytesPerPixel({ DetectedFormat: "png", BitDepth: 16, ColorModel: "rgb", HasAlpha: true })).toBe(20);
    expect(bytesPerPixel({ DetectedFormat: "png", BitDepth: 8, ColorModel: "rgb", HasAlpha: true })).toBe(10);
    expect(bytesPerPixel({ DetectedFormat: "png", BitDepth: 8, ColorModel: "gray", HasAlpha: false })).toBe(4);
  });

  it("derives the limit from the function's memory, not a fixed pixel count", () => {
    const photo = { Width: 8000, Height: 6000, FileSize: 20e6, DetectedFormat: "jpeg", Progressive: true, ColorModel: "rgb" };

    expect(decodeTooLarge(photo, 1536)).toBeUndefined();
    expect(decodeTooLarge(photo, 512)).toContain("more than the 460 MiB its 512 MB function may plan to use");
    expect(decodeMemoryMiB({ DetectedFormat: "jpeg" })).toBeUndefined(); // no size recorded: not refused here
  });
});
