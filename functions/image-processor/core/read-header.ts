import { ByteRanges } from "./byte-ranges";
import type { HeaderStep, HeaderWalker } from "./image-header";

/** How much one image may cost to read. Bytes read stay independent of the object's size. */
export interface ReadBudget {
  /** The first read, from offset 0. */
  readonly windowBytes: number;
  /** Most GETs per image, the first included. */
  readonly maxGets: number;
  /** Most bytes per image, the first window included. */
  readonly maxBytes: number;
}

/**
 * Each later read spans this many times the one before (the first window, then 4×, 16× it ...), from
 * where the walker needs bytes, within the byte budget. What costs time on S3 is the round trip,
 * not the bytes after its first one: one small read per segment header made a JPEG with 1 MB of
 * leading ICC or XMP wait for 17 round trips; growing spans reach 2 MiB in three more.
 */
export const READ_AHEAD_GROWTH = 4;

/** Reads `length` bytes at `offset`; undefined when the object version is gone. */
export type RangeReader = (offset: number, length: number) => Promise<Uint8Array | undefined>;

export type HeaderReadResult =
  | { readonly kind: "done"; readonly step: Exclude<HeaderStep, { kind: "needs" }>; readonly gets: number; readonly bytesRead: number }
  | { readonly kind: "missing"; readonly gets: number; readonly bytesRead: number };

/**
 * Drives a header walker over `first` (the first window, already read), then reads ahead from each
 * span the walker asks for ({@link READ_AHEAD_GROWTH}), until it answers or the budget is spent.
 * Reads are sequential, so GETs and round trips are one count. Optional spans (metadata) that do
 * not fit the budget are declined rather than failing the image.
 */
export async function readHeader(
  size: number,
  read: RangeReader,
  walk: HeaderWalker,
  budget: ReadBudget,
  first: Uint8Array,
): Promise<HeaderReadResult> {
  const bytes = new ByteRanges(size);
  bytes.add(0, first);
  const declined = new Set<number>();
  let gets = 1;
  let bytesRead = first.length;
  const fetch = async (offset: number, length: number) => {
    const got = await read(offset, length);
    gets++;
    bytesRead += got?.length ?? 0;
    if (got) bytes.add(offset, got);
    return got;
  };

  for (;;) {
    const step = walk(bytes, declined);
    if (step.kind !== "needs") return { kind: "done", step, gets, bytesRead };
    const smallest = Math.min(step.length, size - step.offset);
    const left = budget.maxBytes - bytesRead;
    if (gets >= budget.maxGets || smallest > left) {
      if (step.optional) {
        declined.add(step.offset);
        continue;
      }
      return {
        kind: "done",
        step: {
          kind: "rejected",
          reason: `no frame header within the read budget (${budget.maxGets} GETs, ${budget.maxBytes} bytes; read ${gets} GETs, ${bytesRead} bytes)`,
        },
        gets,
        bytesRead,
      };
    }
    const ahead = budget.windowBytes * READ_AHEAD_GROWTH ** gets;
    const got = await fetch(step.offset, Math.min(Math.max(step.length, ahead), size - step.offset, left));
    if (!got) return { kind: "missing", gets, bytesRead };
    if (got.length === 0) {
      return { kind: "done", step: { kind: "rejected", reason: `object shorter than its declared size (${size} bytes)` }, gets, bytesRead };
    }
  }
}
