// Builds JPEG byte streams segment by segment (ITU-T T.81 Annex B), for cases encoders do not
// write on request: frame types, fill bytes, segments placed at exact offsets.

/** One marker segment: 0xFF, the marker, a two-byte length (itself included), the payload. */
export function segment(marker: number, payload: Uint8Array | number): Buffer {
  const body = typeof payload === "number" ? Buffer.alloc(payload, 0x20) : Buffer.from(payload);
  if (body.length + 2 > 0xffff) throw new Error(`segment payload of ${body.length} bytes is too long`);
  const head = Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  return Buffer.concat([head, body]);
}

/** A frame header (SOFn) for `components` components of `precision` bits. */
export function frame(marker: number, width: number, height: number, components = 3, precision = 8): Buffer {
  const payload = [precision, height >> 8, height & 0xff, width >> 8, width & 0xff, components];
  for (let c = 1; c <= components; c++) payload.push(c, 0x11, 0);
  return segment(marker, new Uint8Array(payload));
}

/** An APP2 ICC_PROFILE chunk of `size` payload bytes. */
export const iccChunk = (size: number) =>
  segment(0xe2, Buffer.concat([Buffer.from("ICC_PROFILE\0", "latin1"), Buffer.alloc(size - 12, 0x41)]));

/** SOI, the given segments, a minimal scan and EOI. */
export function jpegOf(...segments: Buffer[]): Buffer {
  const scan = Buffer.concat([segment(0xda, new Uint8Array([1, 1, 0, 0, 63, 0])), Buffer.alloc(64, 0x12), Buffer.from([0xff, 0xd9])]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, scan]);
}

/** COM segments that fill exactly `gap` bytes (at least 4), so that what follows starts where a test needs it. */
export function padding(gap: number): Buffer[] {
  if (gap !== 0 && gap < 4) throw new Error(`cannot pad ${gap} bytes with segments`);
  const pads: Buffer[] = [];
  while (gap > 0) {
    const size = gap <= 0xffff + 2 ? gap : Math.min(0xffff + 2, gap - 4);
    pads.push(segment(0xfe, size - 4));
    gap -= size;
  }
  return pads;
}
