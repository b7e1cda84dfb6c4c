import type { ImageStatus } from "../../functions/image-processor/core/outcome";

/** A metadata item's status: the processor's decisions (core/outcome.ts), and `deleted`, which a deletion event writes. */
export type ItemStatus = ImageStatus | "deleted";

// A record over every status: a status added to ImageStatus fails to compile here until it is listed.
const LISTED: Record<ItemStatus, true> = { processed: true, rejected: true, missing: true, unreadable: true, deleted: true };

/** Every status, in the order the report's columns and `query --status` name them. */
export const ITEM_STATUSES = Object.keys(LISTED) as readonly ItemStatus[];
