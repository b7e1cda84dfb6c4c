/**
 * The bytes of one object read so far: a few ranges at known offsets, not necessarily
 * adjacent. Parsers ask for a span and get it only when every byte of it has been read.
 */
export class ByteRanges {
  private readonly ranges: { start: number; bytes: Uint8Array }[] = [];

  constructor(readonly objectSize: number) {}

  add(start: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.ranges.push({ start, bytes });
    this.ranges.sort((a, b) => a.start - b.start);
  }

  /** `length` bytes from `offset`, or undefined when any of them has not been read. */
  slice(offset: number, length: number): Uint8Array | undefined {
    if (length === 0) return new Uint8Array();
    const end = offset + length;
    const parts: Uint8Array[] = [];
    let at = offset;
    for (const { start, bytes } of this.ranges) {
      const rangeEnd = start + bytes.length;
      if (rangeEnd <= at || start > at) continue;
      const take = bytes.subarray(at - start, Math.min(bytes.length, end - start));
      parts.push(take);
      at += take.length;
      if (at >= end) break;
    }
    if (at < end) return undefined;
    if (parts.length === 1) return parts[0];
    const joined = new Uint8Array(length);
    let written = 0;
    for (const part of parts) {
      joined.set(part, written);
      written += part.length;
    }
    return joined;
  }

  /** Bytes held from the start of the object without a gap. */
  get contiguousPrefix(): number {
    let end = 0;
    for (const { start, bytes } of this.ranges) {
      if (start > end) break;
      end = Math.max(end, start + bytes.length);
    }
    return end;
  }
}
