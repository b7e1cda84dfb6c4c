// The chunk sequence of a whole PNG file, per the PNG specification (3rd edition, sections 5.3,
// 5.6 and 11.2): checked when the whole object lies within the bytes already read, so a small
// PNG is judged on all of its structure, not on its IHDR alone, at no extra read.
import { crc32 } from "node:zlib";
import { ascii, u32 } from "./image-header";

const SIGNATURE_BYTES = 8;
const MAX_CHUNK_LENGTH = 2 ** 31 - 1;
/** The critical chunks this edition defines; any other critical chunk must stop a decoder. */
const KNOWN_CRITICAL = new Set(["IHDR", "PLTE", "IDAT", "IEND"]);
const PALETTE_COLOR_TYPE = 3;

const isLetter = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
/** A chunk is critical when the first letter of its type is upper case (bit 5 clear). */
const isCritical = (type: string) => type.charCodeAt(0) < 0x61;

/**
 * Why the chunk sequence of `file` (a whole PNG, signature and IHDR already checked) breaks the
 * specification, or undefined when it does not: every chunk whole and of a valid type, every CRC
 * right, IHDR once and first, PLTE before the image data (and present for a palette image), at
 * least one IDAT and all IDATs consecutive, no unknown critical chunk, IEND empty and last, and
 * nothing after it. Ancillary chunks (APNG's fcTL and fdAT among them) may come anywhere else.
 */
export function pngChunkSequenceProblem(file: Uint8Array, colorType: number): string | undefined {
  let sawPalette = false;
  let idat: "none" | "in-run" | "ended" = "none";
  for (let at = SIGNATURE_BYTES, index = 0; ; index++) {
    if (at + 8 > file.length)
      return `truncated PNG: no IEND chunk (the file ends at byte ${file.length}, inside or before chunk ${index + 1})`;
    const length = u32(file, at);
    const typeBytes = file.subarray(at + 4, at + 8);
    if (!typeBytes.every(isLetter)) return `corrupt PNG: chunk ${index + 1} at byte ${at} has an invalid type (not four ASCII letters)`;
    const type = ascii(file, at + 4, 4);
    if (length > MAX_CHUNK_LENGTH) return `corrupt PNG: ${type} chunk at byte ${at} declares ${length} bytes, over 2^31-1`;
    const end = at + 12 + length;
    if (end > file.length)
      return `truncated PNG: ${type} chunk at byte ${at} declares ${length} bytes, past the end of the file at byte ${file.length}`;
    if (crc32(file.subarray(at + 4, at + 8 + length)) !== u32(file, at + 8 + length))
      return `corrupt PNG: ${type} chunk at byte ${at} fails its CRC check`;

    if (index === 0 && type !== "IHDR") return "corrupt PNG: the first chunk is not IHDR";
    if (index > 0 && type === "IHDR") return `corrupt PNG: a second IHDR chunk at byte ${at}`;
    if (isCritical(type) && !KNOWN_CRITICAL.has(type)) return `corrupt PNG: unknown critical chunk ${type} at byte ${at}`;
    if (type === "PLTE") {
      if (idat !== "none") return `corrupt PNG: PLTE chunk at byte ${at} after the image data`;
      if (sawPalette) return `corrupt PNG: a second PLTE chunk at byte ${at}`;
      sawPalette = true;
    }
    if (type === "IDAT") {
      if (idat === "ended") return `corrupt PNG: IDAT chunk at byte ${at} is not consecutive with the earlier IDAT chunks`;
      if (idat === "none" && colorType === PALETTE_COLOR_TYPE && !sawPalette)
        return "corrupt PNG: palette image without a PLTE chunk before its image data";
      idat = "in-run";
    } else if (idat === "in-run") {
      idat = "ended";
    }
    if (type === "IEND") {
      if (idat === "none") return "corrupt PNG: no IDAT chunk before IEND";
      if (length !== 0) return `corrupt PNG: IEND chunk at byte ${at} is not empty (${length} bytes)`;
      if (end < file.length) return `corrupt PNG: ${file.length - end} bytes after the IEND chunk`;
      return undefined;
    }
    at = end;
  }
}
