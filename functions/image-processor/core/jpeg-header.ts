// JPEG structure per ITU-T T.81 (Annex B): markers 0xFFxx, any number of 0xFF fill bytes
// before a marker (B.1.1.2), segments that carry their own length, and the frame header
// (SOFn) before the first scan. The walk follows segment lengths from the start of the file
// and asks for bytes it has not been given; it never guesses past them.
import type { ByteRanges } from "./byte-ranges";
import { type ColorModel, type HeaderStep, type ImageHeader, ascii, hex, needs, rejected, u16 } from "./image-header";

/** SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC): every frame type T.81 defines. */
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
const isProgressive = (m: number) => m === 0xc2 || m === 0xc6 || m === 0xca || m === 0xce;
const isLossless = (m: number) => m === 0xc3 || m === 0xc7 || m === 0xcb || m === 0xcf;
/** Markers that stand alone, with no length: TEM and RST0–RST7. */
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

const EXIF_ID = "Exif\0\0";
const ICC_ID = "ICC_PROFILE\0";
const ADOBE_ID = "Adobe";

/** The most fill bytes accepted before one marker; beyond that the file is garbage, not padding. */
const MAX_FILL = 4096;

/**
 * Walks a JPEG's segments from SOI to the frame header. `declined` holds the offsets of
 * optional metadata spans the reader chose not to fetch.
 */
export function walkJpeg(bytes: ByteRanges, declined: ReadonlySet<number>): HeaderStep {
  const size = bytes.objectSize;
  const soi = bytes.slice(0, 2);
  if (!soi) return needs(0, 2);
  if (soi[0] !== 0xff || soi[1] !== 0xd8) return rejected("not a JPEG: no SOI marker");

  let exif: Uint8Array | undefined;
  let hasIccProfile = false;
  let adobeTransform: number | undefined;
  let found: Frame | undefined;
  let position = 2;
  const accept = (): HeaderStep => ({
    kind: "header",
    header: { ...found!.header, hasIccProfile, exif, colorModel: jpegColorModel(found!.components.length, adobeTransform) },
  });
  // Past the frame header the walk only checks the tables it already holds: the size is known,
  // and an image whose frame header is in the first window costs one GET.
  const more = (offset: number, length: number, optional = false): HeaderStep => (found ? accept() : needs(offset, length, optional));

  for (;;) {
    // A marker: 0xFF, any fill bytes (more 0xFF), then the marker code.
    const first = bytes.slice(position, 1);
    if (position >= size) return found ? accept() : rejected(`truncated JPEG: the file ends at ${size} bytes before a frame header`);
    if (!first) return more(position, 2);
    if (first[0] !== 0xff) return rejected(`corrupt JPEG: expected a marker at offset ${position}, found ${hex(first[0])}`);
    let code = position + 1;
    for (;;) {
      if (code >= size) return rejected(`truncated JPEG: the file ends inside a marker at offset ${position}`);
      const byte = bytes.slice(code, 1);
      if (!byte) return more(code, 2);
      if (byte[0] !== 0xff) break;
      if (code - position > MAX_FILL) return rejected(`corrupt JPEG: more than ${MAX_FILL} fill bytes at offset ${position}`);
      code++;
    }
    const marker = bytes.slice(code, 1)![0];
    const segment = code + 1;
    if (marker === 0x00) return rejected(`corrupt JPEG: a stuffed 0xFF00 at offset ${position}, outside entropy-coded data`);
    if (isStandalone(marker)) {
      position = segment;
      continue;
    }
    if (marker === 0xd8) return rejected(`corrupt JPEG: a second SOI at offset ${position}`);
    if (marker === 0xd9) return rejected(`JPEG ends (EOI at offset ${position}) before ${found ? "its first scan" : "a frame header"}`);
    if (marker === 0xda && !found) return rejected(`corrupt JPEG: a scan (SOS at offset ${position}) before a frame header`);

    if (segment + 2 > size) return rejected(`truncated JPEG: the file ends in the length of segment ${hex(marker)} at offset ${position}`);
    const lengthBytes = bytes.slice(segment, 2);
    if (!lengthBytes) return more(segment, 2);
    const length = u16(lengthBytes, 0);
    if (length < 2) return rejected(`corrupt JPEG: segment ${hex(marker)} at offset ${position} declares length ${length}`);
    const end = segment + length;
    if (end > size) return rejected(`truncated JPEG: segment ${hex(marker)} at offset ${position} runs past the end of the file`);

    // The tables and the first scan header are checked as a decoder's header read checks them,
    // so a damaged header is rejected rather than taken for its size (ITU-T T.81 B.2.4, B.2.3).
    if (isFrameMarker(marker) || marker === 0xc4 || marker === 0xdb || marker === 0xdd || marker === 0xda) {
      const body = bytes.slice(segment, length);
      if (!body) return more(segment, length);
      if (isFrameMarker(marker)) {
        if (found) return rejected(`corrupt JPEG: a second frame header at offset ${position}`);
        const step = frameHeader(marker, body.subarray(2), position);
        if (step.kind !== "frame") return step;
        found = step.frame;
      } else {
        const problem = tableProblem(marker, body, found);
        if (problem) return rejected(`corrupt JPEG: ${problem} (segment ${hex(marker)} at offset ${position})`);
        if (marker === 0xda) return accept();
      }
      position = end;
      continue;
    }

    // Metadata worth having, if the reader can afford it; the walk goes on without it otherwise.
    const payload = segment + 2;
    if (marker === 0xe1 && !exif && !declined.has(payload)) {
      const id = bytes.slice(payload, Math.min(EXIF_ID.length, length - 2));
      if (!id) return more(payload, length - 2, true);
      if (ascii(id, 0, id.length) === EXIF_ID) {
        const body = bytes.slice(payload, length - 2);
        if (!body) return more(payload, length - 2, true);
        exif = body.subarray(EXIF_ID.length);
      }
    } else if (marker === 0xe2 && !hasIccProfile && !declined.has(payload)) {
      const id = bytes.slice(payload, Math.min(ICC_ID.length, length - 2));
      if (!id) return more(payload, ICC_ID.length, true);
      hasIccProfile = ascii(id, 0, id.length) === ICC_ID;
    } else if (marker === 0xee && adobeTransform === undefined && length >= 14 && !declined.has(payload)) {
      const adobe = bytes.slice(payload, 12);
      if (!adobe) return more(payload, 12, true);
      if (ascii(adobe, 0, ADOBE_ID.length) === ADOBE_ID) adobeTransform = adobe[11];
    }
    position = end;
  }
}

interface Frame {
  readonly header: ImageHeader;
  readonly components: readonly number[];
}

function frameHeader(marker: number, frame: Uint8Array, position: number): { kind: "frame"; frame: Frame } | HeaderStep {
  const length = frame.length + 2;
  if (frame.length < 6) return rejected(`corrupt JPEG: frame header ${hex(marker)} at offset ${position} is ${length} bytes`);
  const precision = frame[0];
  const height = u16(frame, 1);
  const width = u16(frame, 3);
  const count = frame[5];
  if (count < 1 || count > 4 || frame.length !== 6 + 3 * count) {
    return rejected(`corrupt JPEG: frame header ${hex(marker)} declares ${count} components in ${length} bytes`);
  }
  if (width === 0) return rejected("JPEG declares zero width");
  // T.81 allows the height to follow the first scan (DNL); no mainstream encoder writes that.
  if (height === 0) return rejected("JPEG declares its height after the first scan (DNL), which is not supported");
  const validPrecision = isLossless(marker) ? precision >= 2 && precision <= 16 : precision === 8 || precision === 12;
  if (!validPrecision) return rejected(`corrupt JPEG: frame header ${hex(marker)} declares ${precision}-bit samples`);
  const components: number[] = [];
  for (let c = 0; c < count; c++) {
    const sampling = frame[7 + 3 * c];
    const [h, v] = [sampling >> 4, sampling & 0x0f];
    if (h < 1 || h > 4 || v < 1 || v > 4) return rejected(`corrupt JPEG: component ${c + 1} has sampling factors ${h}x${v}`);
    components.push(frame[6 + 3 * c]);
  }
  const header: ImageHeader = { width, height, bitDepth: precision, hasAlpha: false, progressive: isProgressive(marker) };
  return { kind: "frame", frame: { header, components } };
}

/** What is wrong with a DHT, DQT, DRI or SOS segment's structure, if anything. */
function tableProblem(marker: number, body: Uint8Array, frame: Frame | undefined): string | undefined {
  let at = 2;
  if (marker === 0xc4) {
    while (at < body.length) {
      const [tc, th] = [body[at] >> 4, body[at] & 0x0f];
      if (tc > 1 || th > 3 || at + 17 > body.length) return "bogus Huffman table definition";
      let symbols = 0;
      for (let i = 1; i <= 16; i++) symbols += body[at + i];
      if (symbols > 256 || at + 17 + symbols > body.length) return "bogus Huffman table definition";
      at += 17 + symbols;
    }
  } else if (marker === 0xdb) {
    while (at < body.length) {
      const [pq, tq] = [body[at] >> 4, body[at] & 0x0f];
      if (pq > 1 || tq > 3 || at + 1 + 64 * (pq + 1) > body.length) return "bogus quantization table definition";
      at += 1 + 64 * (pq + 1);
    }
  } else if (marker === 0xdd) {
    if (body.length !== 4) return "bogus restart interval definition";
  } else if (marker === 0xda) {
    const count = body[2];
    if (count < 1 || count > 4 || body.length !== 6 + 2 * count) return "bogus scan header";
    for (let c = 0; c < count; c++)
      if (!frame!.components.includes(body[3 + 2 * c])) return "a scan names a component the frame does not have";
  }
  return undefined;
}

/** Four components are CMYK, or YCCK when an Adobe segment says transform 2. */
function jpegColorModel(components: number, adobeTransform: number | undefined): ColorModel {
  if (components === 1) return "gray";
  if (components === 4) return adobeTransform === 2 ? "ycck" : "cmyk";
  return "rgb";
}
