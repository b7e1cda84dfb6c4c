// A seeded corpus of real JPEGs and PNGs, encoded by libvips (through sharp) and then reshaped at
// the byte level where encoders have no option for it: frame types, restart intervals, chroma
// sampling factors, fill bytes, large APP segments at exact offsets, large ancillary chunks,
// APNG, and sizes up to 16,000 x 16,000 (written into the header of a small image, which is
// all a header reader looks at — and what libvips' own header read reports too).
import { crc32 } from "node:zlib";
import sharp from "sharp";
import { iccChunk, padding, segment } from "../helpers/jpeg-bytes";

export interface CorpusImage {
  readonly name: string;
  /** What kind of case it is, for the tally and the listed exceptions. */
  readonly kind: string;
  readonly bytes: Buffer;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

/** Offsets of a JPEG's segments before the first scan: [offset, marker, total length]. */
export function jpegSegments(bytes: Buffer): [number, number, number][] {
  const out: [number, number, number][] = [];
  let at = 2;
  while (at + 4 <= bytes.length) {
    let code = at + 1;
    while (bytes[code] === 0xff) code++;
    const marker = bytes[code];
    if (marker === 0xda || marker === 0xd9) break;
    const length = bytes.readUInt16BE(code + 1);
    out.push([at, marker, code + 1 + length - at]);
    at = code + 1 + length;
  }
  return out;
}

const sofOf = (bytes: Buffer) => jpegSegments(bytes).find(([, m]) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc)!;

/** Writes new dimensions into a JPEG's frame header (a header reader sees only these). */
function withJpegSize(bytes: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(bytes);
  const [at] = sofOf(copy);
  copy.writeUInt16BE(height, at + 5);
  copy.writeUInt16BE(width, at + 7);
  return copy;
}

/** Inserts segments right after SOI (before the encoder's own APP0/APP1). */
const afterSoi = (bytes: Buffer, ...segments: Buffer[]) => Buffer.concat([bytes.subarray(0, 2), ...segments, bytes.subarray(2)]);

/** Inserts segments right before the frame header. */
function beforeFrame(bytes: Buffer, ...segments: Buffer[]) {
  const [at] = sofOf(bytes);
  return Buffer.concat([bytes.subarray(0, at), ...segments, bytes.subarray(at)]);
}

/** PNG chunk with its CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** Inserts chunks right after IHDR. */
const afterIhdr = (png: Buffer, ...chunks: Buffer[]) => Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);

function withPngSize(png: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(png);
  copy.writeUInt32BE(width, 16);
  copy.writeUInt32BE(height, 20);
  copy.writeUInt32BE(crc32(copy.subarray(12, 29)), 29);
  return copy;
}

const XMP = (size: number) =>
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>${"x".repeat(size)}</rdf:Description></rdf:RDF></x:xmpmeta>`;

async function source(rng: Rng, width: number, height: number) {
  const background = { r: rng.int(0, 255), g: rng.int(0, 255), b: rng.int(0, 255), alpha: rng.next() };
  return sharp({ create: { width, height, channels: 4, background } });
}

async function jpeg(rng: Rng, index: number): Promise<CorpusImage> {
  const width = rng.int(1, 96);
  const height = rng.int(1, 96);
  let image = (await source(rng, width, height)).flatten();
  const space = rng.pick(["srgb", "srgb", "b-w", "cmyk"] as const);
  if (space !== "srgb") image = image.toColourspace(space);
  const orientation = rng.chance(0.6) ? rng.int(1, 8) : undefined;
  if (orientation) image = image.withMetadata({ orientation });
  if (rng.chance(0.2)) image = image.withIccProfile(space === "cmyk" ? "cmyk" : "p3");
  if (rng.chance(0.15)) image = image.withXmp(XMP(rng.int(10, 20000)));
  let bytes: Buffer = await image
    .jpeg({
      quality: rng.int(1, 100),
      progressive: rng.chance(0.3),
      chromaSubsampling: rng.pick(["4:4:4", "4:2:0"]),
    })
    .toBuffer();
  const kinds = [`jpeg-${space}`];
  if (orientation) kinds.push(`orientation-${orientation}`);

  // Byte-level shapes encoders do not offer.
  const shape = rng.int(0, 9);
  if (shape === 0) {
    // Restart interval: a DRI segment before the frame header.
    bytes = beforeFrame(bytes, segment(0xdd, new Uint8Array([0, rng.int(1, 64)])));
    kinds.push("restart-interval");
  } else if (shape === 1) {
    // Another frame type in the header (baseline, extended, progressive, lossless, arithmetic).
    const marker = rng.pick([0xc1, 0xc2, 0xc3, 0xc9, 0xca, 0xcb]);
    const [at] = sofOf(bytes);
    bytes = Buffer.from(bytes);
    bytes[at + 1] = marker;
    kinds.push(`sof-${marker.toString(16)}`);
  } else if (shape === 2) {
    // 0xFF fill bytes before the frame header's marker.
    bytes = beforeFrame(bytes, Buffer.alloc(rng.int(1, 40), 0xff));
    kinds.push("fill-bytes");
  } else if (shape === 3 || shape === 4) {
    // Large APP segments pushing the frame header past 64 KiB or 128 KiB, the last one ending
    // exactly on, just before or just after a window edge.
    const edge = rng.pick([65536, 131072]) + rng.pick([-6, -4, -2, -1, 0, 0, 1, 2, 4, 6, 100]);
    const icc = Array.from({ length: Math.floor((edge - 6) / 65537) }, () => iccChunk(65533));
    const used = 2 + icc.reduce((sum, s) => sum + s.length, 0);
    bytes = afterSoi(bytes, ...icc, ...padding(edge - used));
    kinds.push(edge > 100000 ? "sof-past-128k" : "sof-past-64k");
  } else if (shape === 5) {
    // A big EXIF-like APP1 segment of 0xFFFC bytes ending around the first window's edge.
    const shift = rng.int(-100, 100);
    const pad = shift > 0 ? Math.max(4, shift) : 0;
    bytes = afterSoi(bytes, ...padding(pad), segment(0xe1, 65536 + shift - 2 - pad - 4));
    kinds.push("app1-at-window-edge");
  } else if (shape === 6) {
    // A large size, written into the frame header.
    const big = rng.pick([4000, 8192, 12000, 16000]);
    bytes = withJpegSize(bytes, rng.int(1, big), big);
    kinds.push("large-dimensions");
  } else if (shape === 7 && space !== "b-w") {
    // 4:2:2: the first component sampled 2x1.
    const [at] = sofOf(bytes);
    bytes = Buffer.from(bytes);
    bytes[at + 11] = 0x21;
    kinds.push("chroma-4:2:2");
  }
  return { name: `jpeg-${index}`, kind: kinds.join(" "), bytes };
}

async function png(rng: Rng, index: number): Promise<CorpusImage> {
  const width = rng.int(1, 96);
  const height = rng.int(1, 96);
  let image = await source(rng, width, height);
  const type = rng.pick(["gray", "gray-alpha", "rgb", "rgba", "palette", "gray16", "rgb16"] as const);
  let options: sharp.PngOptions = { progressive: rng.chance(0.3) };
  if (type === "gray") image = image.flatten().toColourspace("b-w");
  if (type === "gray-alpha") image = image.toColourspace("b-w");
  if (type === "rgb") image = image.flatten();
  if (type === "gray16") image = image.toColourspace("grey16");
  if (type === "rgb16") image = image.toColourspace("rgb16");
  // libvips writes 1, 2, 4 or 8 bits per index for 2, 4, 16 or 256 colours.
  if (type === "palette") options = { ...options, palette: true, colours: rng.pick([2, 4, 16, 256]) };
  if (rng.chance(0.3)) image = image.withMetadata({ orientation: rng.int(1, 8) });
  let bytes: Buffer = await image.png(options).toBuffer();
  const kinds = [`png-${type}${options.progressive ? "-interlaced" : ""}`];

  const shape = rng.int(0, 5);
  if (shape === 0) {
    // Large ancillary chunks before the image data.
    bytes = afterIhdr(bytes, chunk("tEXt", Buffer.from(`Comment\0${"y".repeat(rng.int(1000, 200000))}`, "latin1")));
    kinds.push("large-ancillary");
    const exif = bytes.indexOf("eXIf", 33, "latin1");
    if (exif > 0 && exif + 4 + bytes.readUInt32BE(exif - 4) > 65536) kinds.push("exif-past-first-window");
  } else if (shape === 1) {
    // APNG: an acTL chunk after IHDR (one frame, the default image).
    const actl = Buffer.alloc(8);
    actl.writeUInt32BE(1, 0);
    bytes = afterIhdr(bytes, chunk("acTL", actl));
    kinds.push("apng");
  } else if (shape === 2) {
    const big = rng.pick([4000, 8192, 12000, 16000]);
    bytes = withPngSize(bytes, big, rng.int(1, big));
    kinds.push("large-dimensions");
  }
  return { name: `png-${index}`, kind: kinds.join(" "), bytes };
}

/** `count` images from `seed`: about two JPEGs for each PNG. */
export async function generateCorpus(count: number, seed = 20261127): Promise<CorpusImage[]> {
  const rng = prng(seed);
  const images: CorpusImage[] = [];
  for (let i = 0; i < count; i++) images.push(rng.chance(0.65) ? await jpeg(rng, i) : await png(rng, i));
  // The extremes, always present.
  images.push({
    name: "jpeg-1x1",
    kind: "jpeg-srgb tiny",
    bytes: await sharp({ create: { width: 1, height: 1, channels: 3, background: "red" } })
      .jpeg()
      .toBuffer(),
  });
  images.push({
    name: "png-1x1",
    kind: "png-rgb tiny",
    bytes: await sharp({ create: { width: 1, height: 1, channels: 3, background: "red" } })
      .png()
      .toBuffer(),
  });
  return images;
}
