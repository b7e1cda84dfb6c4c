import type { ByteRanges } from "./byte-ranges";

export type ColorModel = "gray" | "rgb" | "cmyk" | "ycck" | "palette";

/** What an image's header says, read from its bytes. */
export interface ImageHeader {
  readonly width: number;
  readonly height: number;
  // The rest is read for JPEG and PNG; other formats give their size only.
  /** Bits per sample (JPEG precision, PNG bit depth). */
  readonly bitDepth?: number;
  readonly colorModel?: ColorModel;
  readonly hasAlpha?: boolean;
  /** JPEG: progressive frame. PNG: Adam7 interlace. */
  readonly progressive?: boolean;
  readonly hasIccProfile?: boolean;
  /** The EXIF block as a TIFF structure ("II*\0" or "MM\0*"), when the image has one. */
  readonly exif?: Uint8Array;
  /** APNG (an acTL chunk before the image data). */
  readonly animated?: boolean;
}

/**
 * One step of reading a header from the bytes read so far: done, rejected for a stated
 * reason, or in need of `length` bytes at `offset`. A need marked optional is for metadata
 * (EXIF, ICC, Adobe): the reader may decline it, and the walk then goes on without it.
 * Dimensions are never returned from a partial parse.
 */
export type HeaderStep =
  | { readonly kind: "header"; readonly header: ImageHeader }
  | { readonly kind: "needs"; readonly offset: number; readonly length: number; readonly optional: boolean }
  | { readonly kind: "rejected"; readonly reason: string };

export const needs = (offset: number, length: number, optional = false): HeaderStep => ({ kind: "needs", offset, length, optional });
export const rejected = (reason: string): HeaderStep => ({ kind: "rejected", reason });

export const u16 = (bytes: Uint8Array, at: number) => (bytes[at] << 8) | bytes[at + 1];
export const u32 = (bytes: Uint8Array, at: number) =>
  ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
export const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
export const hex = (value: number) => `0x${value.toString(16).toUpperCase().padStart(2, "0")}`;

/** Reads a header format's bytes from a {@link ByteRanges}, declining optional spans listed in `declined`. */
export type HeaderWalker = (bytes: ByteRanges, declined: ReadonlySet<number>) => HeaderStep;
