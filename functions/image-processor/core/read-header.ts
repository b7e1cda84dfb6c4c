import { ByteRanges } from "./byte-ranges";
import { HeaderStep, HeaderWalker } from "./image-header";

/** How much one image may cost to read. Bytes read stay independent of the object's size. */
export interface ReadBudget {
  /** The first read, from offset 0. */
  readonly windowBytes: number;
  /** Most GETs per image, the first included. */
  readonly maxGets: number;
  /** Most bytes per image, the first window included. */
  readonly maxBytes: number;
}

/** Later reads fetch at least this much, so one GET usually covers a few small segments. */
export const MIN_FOLLOW_UP_READ = 4096;

/** Reads `length` bytes at `offset`; undefined when the object version is gone. */
export type RangeReader = (offset: number, length: number) => Promise<Uint8Array | undefined>;

export type HeaderReadResult =
  | { readonly kind: "done"; readonly step: Exclude<HeaderStep, { kind: "needs" }>; readonly gets: number; readonly bytesRead: number }
  | { readonly kind: "missing"; readonly gets: number; readonly bytesRead: number };

/**
 * Drives a header walker over `first` (the first window, already read), then reads exactly the spans the walker asks for
 * (at least {@link MIN_FOLLOW_UP_READ}), until it answers or the budget is spent. Optional
 * spans (metadata) that do not fit the budget are declined rather than failing the image.
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
    const length = Math.min(Math.max(step.length, MIN_FOLLOW_UP_READ), size - step.offset);
    const affordable = gets < budget.maxGets && bytesRead + length <= budget.maxBytes;
    const smallest = Math.min(step.length, size - step.offset);
    if (!affordable && step.optional) {
      declined.add(step.offset);
      continue;
    }
    if (!affordable && !(gets < budget.maxGets && bytesRead + smallest <= budget.maxBytes)) {
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
    const got = await fetch(step.offset, affordable ? length : smallest);
    if (!got) return { kind: "missing", gets, bytesRead };
    if (got.length === 0) {
      return { kind: "done", step: { kind: "rejected", reason: `object shorter than its declared size (${size} bytes)` }, gets, bytesRead };
    }
  }
}
