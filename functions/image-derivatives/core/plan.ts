import type { DecodeFacts } from "./decode-memory";
import type { ResolvedRendition } from "./renditions";
import type { DerivativeRequest } from "../../shared/derivative-request";

/** One rendition as the item records it. */
export interface DerivativeEntry {
  readonly Key: string;
  readonly Width: number;
  readonly Height: number;
  readonly Bytes: number;
  readonly Format: string;
  /** The rendition's settings when it was made ({@link specOf}); a change of settings makes it again. */
  readonly Spec: string;
}

/** What the derivatives function reads of a metadata item. */
export interface ItemState extends DecodeFacts {
  readonly Status: string;
  readonly Sequencer: string;
  readonly Width?: number;
  readonly Height?: number;
  readonly Derivatives?: Readonly<Record<string, DerivativeEntry>>;
  /** `written`, or the final outcome that left the version without renditions (too-large, undecodable, ...). */
  readonly DerivativesStatus?: string;
}

export type Plan =
  /** The item is gone, of another version, or not a processed image: nothing to make. */
  | { readonly kind: "stale"; readonly reason: string }
  /** Every rendition is recorded with its current settings. */
  | { readonly kind: "done" }
  | { readonly kind: "render"; readonly renditions: readonly ResolvedRendition[] };

/** A rendition's settings as one short label, e.g. `320x320 cover webp q75`. */
export const specOf = (r: ResolvedRendition): string =>
  `${r.width ?? ""}x${r.height ?? ""} ${r.fit} ${r.format}${r.quality === undefined ? "" : ` q${r.quality}`}`;

/**
 * Which renditions a request still needs. Only the item of the very version the request names
 * may receive renditions, so a late request for an older version never overwrites a newer one's.
 */
export function planRequest(request: DerivativeRequest, item: ItemState | undefined, renditions: readonly ResolvedRendition[]): Plan {
  if (!item) return { kind: "stale", reason: "no item is recorded under the image id" };
  if (item.Sequencer !== request.sequencer) return { kind: "stale", reason: "the item records another version of the object" };
  if (item.Status !== "processed") return { kind: "stale", reason: `the item's status is ${item.Status}, not processed` };
  // A final outcome stays final until a forced request (the operator changed a limit, say).
  if (!request.force && item.DerivativesStatus !== undefined && item.DerivativesStatus !== "written") return { kind: "done" };
  const pending = request.force ? renditions : renditions.filter((r) => item.Derivatives?.[r.name]?.Spec !== specOf(r));
  return pending.length === 0 ? { kind: "done" } : { kind: "render", renditions: pending };
}
