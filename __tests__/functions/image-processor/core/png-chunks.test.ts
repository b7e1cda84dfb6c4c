// PngSuite-style cases, generated: PNGs that libvips writes, then the chunk sequence made valid in
// other ways (split IDAT, late ancillary chunks, APNG control chunks) or broken the ways PngSuite's
// x-files and the specification's ordering rules name. Valid ones must read as libvips reads them.
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { type ImageFormat, inspectBytes } from "../../../../functions/image-processor/core/image-inspection";
import { pngChunkSequenceProblem } from "../../../../functions/image-processor/core/png-chunks";

const BUDGET = { windowBytes: 65536, maxGets: 8, maxBytes: 2097152 };
const LIMITS = { maxPixels: 16383 * 16383, formats: ["png"] as ImageFormat[] };
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Chunk {
  type: string;
  data: Buffer;
  /** A CRC to write instead of the right one. */
  crc?: number;
}

const chunksOf = (png: Buffer): Chunk[] => {
  const chunks: Chunk[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString("latin1", at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
};
const encode = ({ type, data, crc }: Chunk) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc ?? crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, tail]);
};
const pngOf = (chunks: Chunk[], trailer = Buffer.alloc(0)) => Buffer.concat([SIGNATURE, ...chunks.map(encode), trailer]);
/** Where chunk `index` starts in pngOf(chunks). */
const offsetOf = (chunks: Chunk[], index: number) => 8 + chunks.slice(0, index).reduce((sum, c) => sum + 12 + c.data.length, 0);
const text = (words: string) => ({ type: "tEXt", data: Buffer.from(`Comment\0${words}`, "latin1") });
const withType = (chunks: Chunk[], type: string) => chunks.findIndex((c) => c.type === type);

/** The IDAT data of `chunks` cut into `parts` consecutive IDAT chunks. */
function splitIdat(chunks: Chunk[], parts: number): Chunk[] {
  const at = withType(chunks, "IDAT");
  const { data } = chunks[at];
  const step = Math.ceil(data.length / parts);
  const pieces = Array.from({ length: parts }, (_, i) => ({ type: "IDAT", data: data.subarray(i * step, (i + 1) * step) }));
  return [...chunks.slice(0, at), ...pieces, ...chunks.slice(at + 1)];
}

const ofImage = async (bytes: Buffer) => {
  const result = await inspectBytes(bytes, LIMITS, BUDGET);
  if (result.kind !== "inspected") throw new Error("missing");
  return { ...result.inspection, gets: result.gets };
};

let gray: Chunk[];
let palette: Chunk[];
let rgbaInterlaced: Chunk[];
let rgb16: Chunk[];

beforeAll(async () => {
  const base = () => sharp({ create: { width: 37, height: 23, channels: 4, background: { r: 200, g: 80, b: 20, alpha: 0.5 } } });
  gray = chunksOf(await base().flatten().toColourspace("b-w").png().toBuffer());
  palette = chunksOf(await base().png({ palette: true, colours: 16 }).toBuffer());
  rgbaInterlaced = chunksOf(await base().png({ progressive: true }).toBuffer());
  rgb16 = chunksOf(await base().toColourspace("rgb16").png().toBuffer());
});

describe("valid chunk sequences: accepted in one GET, as libvips reads them", () => {
  const cases: [string, () => Buffer][] = [
    ["8-bit gray, as libvips writes it", () => pngOf(gray)],
    ["a palette image", () => pngOf(palette)],
    ["RGBA, Adam7-interlaced", () => pngOf(rgbaInterlaced)],
    ["16-bit RGB", () => pngOf(rgb16)],
    ["its image data in three consecutive IDAT chunks", () => pngOf(splitIdat(gray, 3))],
    [
      "ancillary chunks between PLTE and IDAT and after the image data",
      () => {
        const at = withType(palette, "IDAT");
        return pngOf([...palette.slice(0, at), text("before"), palette[at], text("after"), ...palette.slice(at + 1)]);
      },
    ],
    ["an empty ancillary chunk", () => pngOf([gray[0], { type: "zzZz", data: Buffer.alloc(0) }, ...gray.slice(1)])],
    [
      "APNG control chunks (acTL, fcTL) before the default image",
      () => {
        const actl = Buffer.alloc(8);
        actl.writeUInt32BE(1, 0);
        const fctl = Buffer.alloc(26);
        fctl.writeUInt32BE(37, 4);
        fctl.writeUInt32BE(23, 8);
        return pngOf([gray[0], { type: "acTL", data: actl }, { type: "fcTL", data: fctl }, ...gray.slice(1)]);
      },
    ],
  ];

  it.each(cases)("%s", async (_name, make) => {
    // Arrange
    const bytes = make();
    const libvips = await sharp(bytes).metadata();
    await sharp(bytes).raw().toBuffer(); // libvips decodes it whole

    // Act
    const result = await ofImage(bytes);

    // Assert
    expect(result).toMatchObject({ kind: "image", gets: 1, header: { width: libvips.width, height: libvips.height } });
  });
});

describe("broken chunk sequences: rejected with the exact reason, in one GET", () => {
  const cases: [string, () => { bytes: Buffer; reason: string }][] = [
    [
      "the image data fails its CRC (PngSuite xcsn0g01)",
      () => {
        const chunks = gray.map((c) => (c.type === "IDAT" ? { ...c, crc: 0x12345678 } : c));
        return {
          bytes: pngOf(chunks),
          reason: `corrupt PNG: IDAT chunk at byte ${offsetOf(chunks, withType(chunks, "IDAT"))} fails its CRC check`,
        };
      },
    ],
    [
      "an ancillary chunk fails its CRC",
      () => {
        const chunks = [gray[0], { ...text("x"), crc: 0 }, ...gray.slice(1)];
        return { bytes: pngOf(chunks), reason: "corrupt PNG: tEXt chunk at byte 33 fails its CRC check" };
      },
    ],
    [
      "no image data (PngSuite xdtn0g01)",
      () => ({ bytes: pngOf(gray.filter((c) => c.type !== "IDAT")), reason: "corrupt PNG: no IDAT chunk before IEND" }),
    ],
    [
      "IDAT chunks with a chunk between them",
      () => {
        const split = splitIdat(gray, 2);
        const second = withType(split, "IDAT") + 1;
        const chunks = [...split.slice(0, second), text("between"), ...split.slice(second)];
        return {
          bytes: pngOf(chunks),
          reason: `corrupt PNG: IDAT chunk at byte ${offsetOf(chunks, second + 1)} is not consecutive with the earlier IDAT chunks`,
        };
      },
    ],
    [
      "a palette image without PLTE",
      () => ({
        bytes: pngOf(palette.filter((c) => c.type !== "PLTE")),
        reason: "corrupt PNG: palette image without a PLTE chunk before its image data",
      }),
    ],
    [
      "PLTE after the image data",
      () => {
        const plte = { type: "PLTE", data: Buffer.from([0, 0, 0, 255, 255, 255]) };
        const iend = withType(gray, "IEND");
        const chunks = [...gray.slice(0, iend), plte, gray[iend]];
        return { bytes: pngOf(chunks), reason: `corrupt PNG: PLTE chunk at byte ${offsetOf(chunks, iend)} after the image data` };
      },
    ],
    [
      "an unknown critical chunk",
      () => ({
        bytes: pngOf([gray[0], { type: "ABCD", data: Buffer.from("x") }, ...gray.slice(1)]),
        reason: "corrupt PNG: unknown critical chunk ABCD at byte 33",
      }),
    ],
    [
      "a chunk type that is not four letters",
      () => ({
        bytes: pngOf([gray[0], { type: "ab1d", data: Buffer.alloc(0) }, ...gray.slice(1)]),
        reason: "corrupt PNG: chunk 2 at byte 33 has an invalid type (not four ASCII letters)",
      }),
    ],
    [
      "a second IHDR",
      () => ({ bytes: pngOf([gray[0], gray[0], ...gray.slice(1)]), reason: "corrupt PNG: a second IHDR chunk at byte 33" }),
    ],
    [
      "a chunk longer than 2^31-1 bytes",
      () => {
        const bytes = pngOf([gray[0], text("x"), ...gray.slice(1)]);
        bytes.writeUInt32BE(0xfffffff0, 33);
        return { bytes, reason: "corrupt PNG: tEXt chunk at byte 33 declares 4294967280 bytes, over 2^31-1" };
      },
    ],
    [
      "cut inside the image data",
      () => {
        const whole = pngOf(gray);
        const idat = offsetOf(gray, withType(gray, "IDAT"));
        return {
          bytes: whole.subarray(0, idat + 10),
          reason: `truncated PNG: IDAT chunk at byte ${idat} declares ${gray[withType(gray, "IDAT")].data.length} bytes, past the end of the file at byte ${idat + 10}`,
        };
      },
    ],
    [
      "no IEND",
      () => {
        const bytes = pngOf(gray.filter((c) => c.type !== "IEND"));
        return {
          bytes,
          reason: `truncated PNG: no IEND chunk (the file ends at byte ${bytes.length}, inside or before chunk ${gray.length})`,
        };
      },
    ],
    [
      "IEND with data",
      () => ({
        bytes: pngOf([...gray.slice(0, -1), { type: "IEND", data: Buffer.from("x") }]),
        reason: `corrupt PNG: IEND chunk at byte ${offsetOf(gray, gray.length - 1)} is not empty (1 bytes)`,
      }),
    ],
    ["bytes after IEND", () => ({ bytes: pngOf(gray, Buffer.from("trailer")), reason: "corrupt PNG: 7 bytes after the IEND chunk" })],
  ];

  it.each(cases)("%s", async (_name, make) => {
    const { bytes, reason } = make();

    const result = await ofImage(bytes);

    expect(result).toEqual({ kind: "rejected", format: "png", reason, gets: 1 });
  });
});

describe("pngChunkSequenceProblem", () => {
  it("is only asked of whole files: a PNG larger than the bytes read is judged on its IHDR, with no read more", async () => {
    // Arrange: a trailer the whole-file check would refuse, in a file longer than the first window.
    const bytes = pngOf([gray[0], text("y".repeat(3000)), ...gray.slice(1)], Buffer.from("trailer"));

    // Act
    const result = await inspectBytes(bytes, LIMITS, { ...BUDGET, windowBytes: 1024 });

    // Assert
    expect(pngChunkSequenceProblem(bytes, 0)).toBe("corrupt PNG: 7 bytes after the IEND chunk");
    expect(result).toMatchObject({ kind: "inspected", gets: 1, inspection: { kind: "image", header: { width: 37, height: 23 } } });
  });
});
