// PNG structure per the PNG specification (3rd edition): an 8-byte signature, then chunks
// (length, type, data, CRC-32 of type and data). IHDR comes first and carries the size; the
// ancillary chunks that matter here (iCCP, tRNS, eXIf, acTL) come before the first IDAT.
import { crc32 } from "node:zlib";
import type { ByteRanges } from "./byte-ranges";
import { type ColorModel, type HeaderStep, ascii, needs, rejected, u32 } from "./image-header";
import { pngChunkSequenceProblem } from "./png-chunks";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_DIMENSION = 2 ** 31 - 1;

/** Allowed bit depths per colour type (PNG spec, table 11.1). */
const BIT_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const COLOR_MODELS: Record<number, ColorModel> = { 0: "gray", 2: "rgb", 3: "palette", 4: "gray", 6: "rgb" };

/**
 * Reads IHDR (checked against its CRC, so a damaged size is never taken), then the chunks
 * that follow it within the bytes already read, up to the first IDAT, for metadata (iCCP,
 * tRNS, acTL, eXIf). Nothing more is fetched for them: a PNG costs one GET. When the whole
 * object is among the bytes read, its whole chunk sequence is checked too (png-chunks.ts).
 */
export function walkPng(bytes: ByteRanges): HeaderStep {
  const size = bytes.objectSize;
  if (size < 33) return rejected(`truncated PNG: ${size} bytes, fewer than the signature and IHDR`);
  const head = bytes.slice(0, 33);
  if (!head) return needs(0, 33);
  if (!SIGNATURE.every((byte, i) => head[i] === byte)) return rejected("not a PNG: bad signature");
  if (u32(head, 8) !== 13 || ascii(head, 12, 4) !== "IHDR") return rejected("corrupt PNG: the first chunk is not a 13-byte IHDR");
  if (crc32(head.subarray(12, 29)) !== u32(head, 29)) return rejected("corrupt PNG: IHDR fails its CRC check");

  const width = u32(head, 16);
  const height = u32(head, 20);
  const [bitDepth, colorType, compression, filter, interlace] = head.subarray(24, 29);
  if (width === 0 || height === 0) return rejected("PNG declares zero width or height");
  if (width > MAX_DIMENSION || height > MAX_DIMENSION) return rejected(`corrupt PNG: ${width}x${height} exceeds 2^31-1`);
  if (!BIT_DEPTHS[colorType]) return rejected(`corrupt PNG: colour type ${colorType}`);
  if (!BIT_DEPTHS[colorType].includes(bitDepth)) return rejected(`corrupt PNG: bit depth ${bitDepth} with colour type ${colorType}`);
  if (compression !== 0 || filter !== 0 || interlace > 1) return rejected("corrupt PNG: unknown compression, filter or interlace method");
  if (bytes.contiguousPrefix >= size) {
    const problem = pngChunkSequenceProblem(bytes.slice(0, size)!, colorType);
    if (problem) return rejected(problem);
  }

  let hasIccProfile = false;
  let transparency = false;
  let animated = false;
  let exif: Uint8Array | undefined;
  for (let at = 33; at + 8 <= size; ) {
    const header = bytes.slice(at, 8);
    if (!header) break;
    const length = u32(header, 0);
    const type = ascii(header, 4, 4);
    if (type === "IDAT" || type === "IEND") break;
    if (type === "iCCP") hasIccProfile = true;
    else if (type === "tRNS") transparency = true;
    else if (type === "acTL") animated = true;
    else if (type === "eXIf") exif = bytes.slice(at + 8, length) ?? exif;
    at += 12 + length;
  }
  return {
    kind: "header",
    header: {
      width,
      height,
      bitDepth,
      colorModel: COLOR_MODELS[colorType],
      hasAlpha: colorType === 4 || colorType === 6 || transparency,
      progressive: interlace === 1,
      hasIccProfile,
      exif,
      animated,
    },
  };
}
