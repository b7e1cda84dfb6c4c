import fc from "fast-check";
import {
  type ImageFormat,
  contentTypeConflict,
  detectFormat,
  inspectBytes,
  inspectObject,
} from "../../../../functions/image-processor/core/image-inspection";
import type { RangeReader, ReadBudget } from "../../../../functions/image-processor/core/read-header";
import { image } from "../../../fixtures";
import { frame, iccChunk, jpegOf, padding, segment } from "../../../helpers/jpeg-bytes";

const BUDGET: ReadBudget = { windowBytes: 65536, maxGets: 8, maxBytes: 2097152 };
const LIMITS = { maxPixels: 16383 * 16383, formats: ["jpeg", "png"] as ImageFormat[] };
const inspect = (bytes: Uint8Array, limits = LIMITS, budget = BUDGET) => inspectBytes(bytes, limits, budget);
/** As the processor reads an object of `size` bytes: its first window by the first GET, then inspectObject's own reads. */
const readAndInspect = async (read: RangeReader, size: number) =>
  inspectObject((await read(0, BUDGET.windowBytes))!, read, { ...LIMITS, objectSize: size }, BUDGET);
const sizeOf = async (bytes: Uint8Array) => {
  const result = await inspect(bytes);
  if (result.kind !== "inspected") throw new Error("missing");
  const { inspection } = result;
  return inspection.kind === "image"
    ? { w: inspection.header.width, h: inspection.header.height, gets: result.gets, bytes: result.bytesRead }
    : inspection;
};

describe("inspectObject", () => {
  it.each([
    ["baseline-exif.jpg", "jpeg", 64, 48],
    ["progressive.jpg", "jpeg", 40, 30],
    ["plain.png", "png", 32, 20],
    ["interlaced.png", "png", 24, 16],
  ])("reads %s as a %s of %dx%d in one GET", async (name, format, width, height) => {
    const result = await inspect(image(name));

    expect(result).toMatchObject({ kind: "inspected", gets: 1, inspection: { kind: "image", format, header: { width, height } } });
  });

  it("follows a JPEG's segments to a frame header past the first window with one read ahead from the next segment", async () => {
    const bytes = image("late-sof.jpg");

    const result = await sizeOf(bytes);

    // Its segments: APP2 at 20 (65535 bytes), APP2 at 65557 (36897), then DQT, DQT, SOF0 at 102594.
    // One GET for the window, then one from 65557 (the second APP2's header) of four windows, which
    // the file's end cuts short: two round trips.
    expect(bytes.length - 65557).toBeLessThan(4 * 65536);
    expect(result).toMatchObject({ w: 20, h: 10, gets: 2, bytes: 65536 + (bytes.length - 65557) });
  });

  it("reads ahead in spans four times the one before, from where the walker needs bytes", async () => {
    // Arrange: 30 full ICC chunks (65537 bytes each) between the APP0 and the frame header.
    const reads: [number, number][] = [];
    const bytes = jpegOf(segment(0xe0, 14), ...Array.from({ length: 30 }, () => iccChunk(65533)), frame(0xc0, 640, 480));
    const read = async (offset: number, length: number) => {
      reads.push([offset, length]);
      return bytes.subarray(offset, offset + length);
    };

    // Act
    const result = await readAndInspect(read, bytes.length);

    // Assert: 64 KiB, then 256 KiB, 1 MiB, and what is left of the 2 MiB (here, of the file) from the next segment's header.
    const last = Math.min(2097152 - 65536 - 262144 - 1048576, bytes.length - reads[3][0]);
    expect(reads.map(([, length]) => length)).toEqual([65536, 262144, 1048576, last]);
    expect(result).toMatchObject({
      inspection: { kind: "image", header: { width: 640, height: 480 } },
      gets: 4,
      bytesRead: 65536 + 262144 + 1048576 + last,
    });
    // Each from the header the walker needed next, which straddles or follows the end of the read before.
    for (let i = 1; i < reads.length; i++) expect(reads[i][0] - (reads[i - 1][0] + reads[i - 1][1])).toBeGreaterThanOrEqual(-4);
    for (let i = 1; i < reads.length; i++) expect(reads[i][0] - (reads[i - 1][0] + reads[i - 1][1])).toBeLessThanOrEqual(65537);
  });

  it("never takes a size from a partial parse: a 4000x3000 JPEG whose APP1 segment ends around the window's edge, 200 ways", async () => {
    // Defect 1: with a 0xFFFC-byte APP1 ending at or near 64 KiB, two fixed windows gave sizes like 51423x52727 or 160x120.
    const sof = frame(0xc0, 4000, 3000);
    const sizes = new Set<string>();
    for (let shift = -100; shift < 100; shift++) {
      // SOI (2 bytes), padding, then APP1 ending at 65536 + shift; the APP1 is 0xFFFC bytes long when it fits.
      const pad = shift > 0 ? Math.max(4, shift) : 0;
      const app1 = segment(0xe1, 65536 + shift - 2 - pad - 4);
      const bytes = jpegOf(...padding(pad), app1, sof);
      expect(2 + pad + app1.length).toBe(65536 + shift);
      const result = await sizeOf(bytes);
      sizes.add(JSON.stringify([(result as any).w, (result as any).h]));
    }
    expect([...sizes]).toEqual(["[4000,3000]"]);
  });

  it.each([0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf].map((m) => [m.toString(16).toUpperCase(), m]))(
    "accepts frame type 0x%s (every SOFn of ITU-T T.81, lossless and arithmetic-coded included)",
    async (_name, marker) => {
      const result = await inspect(jpegOf(segment(0xe0, 14), frame(marker, 300, 200)));

      expect(result).toMatchObject({
        inspection: { kind: "image", header: { width: 300, height: 200, progressive: [0xc2, 0xc6, 0xca, 0xce].includes(marker) } },
      });
    },
  );

  it("accepts 0xFF fill bytes before a marker (T.81 B.1.1.2)", async () => {
    const filled = Buffer.concat([Buffer.alloc(7, 0xff), frame(0xc0, 640, 480)]);

    expect(await sizeOf(jpegOf(segment(0xe0, 14), filled))).toMatchObject({ w: 640, h: 480 });
  });

  it("walks past 1 MB of ICC profile chunks (a CMYK print file) in four round trips", async () => {
    const icc = Array.from({ length: 16 }, () => iccChunk(65533));
    const bytes = jpegOf(
      segment(0xe0, 14),
      ...icc,
      segment(0xee, new Uint8Array([..."Adobe"].map((c) => c.charCodeAt(0)).concat([0, 100, 0, 0, 0, 0, 2]))),
      frame(0xc0, 2480, 3508, 4),
    );

    const result = await inspect(bytes);

    expect(bytes.length).toBeGreaterThan(1_000_000);
    expect(result).toMatchObject({
      inspection: { kind: "image", header: { width: 2480, height: 3508, colorModel: "ycck", hasIccProfile: true } },
    });
    expect(result.gets).toBeLessThanOrEqual(4);
    expect(result.bytesRead).toBeLessThanOrEqual(BUDGET.maxBytes);
  });

  it("rejects, naming the budget, a frame header beyond what the budget may read", async () => {
    const bytes = jpegOf(...Array.from({ length: 40 }, () => iccChunk(65533)), frame(0xc0, 10, 10));

    const result = await inspect(bytes);

    expect(result).toMatchObject({ inspection: { kind: "rejected", format: "jpeg" } });
    expect((result as any).inspection.reason).toMatch(
      /^no frame header within the read budget \(8 GETs, 2097152 bytes; read 4 GETs, 2097152 bytes\)$/,
    );
  });

  it.each([
    ["text-named.jpg", /^not an accepted image format by its bytes \(accepted: JPEG, PNG; looks like: unknown format\)$/],
    ["gif-named.png", /looks like: gif\)$/],
    ["empty.png", /^empty object \(0 bytes\)$/],
    ["absurd-dimensions.png", /^100000x100000 is 10000000000 pixels, over the limit of 268402689$/],
    ["truncated-header.png", /^truncated PNG/],
  ])("rejects %s", async (name, reason) => {
    const result = await inspect(image(name));

    expect(result).toMatchObject({ inspection: { kind: "rejected" } });
    expect((result as any).inspection.reason).toMatch(reason);
  });

  it("rejects a PNG whose IHDR fails its CRC, so a damaged size is never recorded", async () => {
    const bytes = Buffer.from(image("plain.png"));
    bytes[19] ^= 0x01; // the low byte of the width

    expect(await inspect(bytes)).toMatchObject({ inspection: { kind: "rejected", reason: "corrupt PNG: IHDR fails its CRC check" } });
  });

  it("accepts an opt-in format only when it is configured", async () => {
    const gif = image("gif-named.png");

    expect(await inspect(gif, { ...LIMITS, formats: ["jpeg", "png", "gif"] })).toMatchObject({
      inspection: { kind: "image", format: "gif" },
    });
    expect(await inspect(gif)).toMatchObject({ inspection: { kind: "rejected" } });
  });

  it("answers missing when the object disappears between reads", async () => {
    const bytes = image("late-sof.jpg");
    let calls = 0;
    const read = async (offset: number, length: number) => (calls++ === 0 ? bytes.subarray(offset, offset + length) : undefined);

    expect(await readAndInspect(read, bytes.length)).toMatchObject({ kind: "missing" });
  });

  it("never throws, never reads past the budget, on arbitrary bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.nat(100_000), async (bytes, extra) => {
        const size = bytes.length + extra;
        const read = async (offset: number, length: number) => {
          const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
          out.set(bytes.subarray(offset, offset + out.length));
          return out;
        };
        const result = await readAndInspect(read, size);
        expect(result.kind).toBe("inspected");
        expect(result.gets).toBeLessThanOrEqual(BUDGET.maxGets);
        expect(result.bytesRead).toBeLessThanOrEqual(BUDGET.maxBytes);
      }),
      { numRuns: 300 },
    );
  });
});

describe("detectFormat", () => {
  it("goes by the bytes, not the name", () => {
    expect(detectFormat(image("plain.png"))).toBe("png");
    expect(detectFormat(image("progressive.jpg"))).toBe("jpeg");
    expect(detectFormat(image("gif-named.png"))).toBe("gif");
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
    ["image/heif", "heic"],
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
