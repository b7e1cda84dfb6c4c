/** The processor's variable that names the queue; unset, the processor requests no derivatives. */
export const DERIVATIVES_QUEUE_ENV = "DERIVATIVES_QUEUE_URL";

/**
 * One request for the renditions of one recorded image version: the body of a message on the
 * derivatives queue. The metadata processor sends one per processed item; `backfill
 * --derivatives` sends them with `force` to make every rendition again.
 */
export interface DerivativeRequest {
  readonly bucket: string;
  readonly key: string;
  /** Absent for objects written while versioning was off. */
  readonly versionId?: string;
  /** The metadata item's id; the `Derivatives` map is written there. */
  readonly imageId: string;
  /** The item's S3 sequencer: renditions are recorded only on the item of this very version. */
  readonly sequencer: string;
  /** Make every rendition again, not only the ones the item does not list yet. */
  readonly force?: boolean;
  /** `delete`: the key has no current version any more; delete its renditions (imageId names the removed version, sequencer the deletion). */
  readonly action?: "delete";
}

/** The message body of a request. */
export const requestBody = (request: DerivativeRequest): string => JSON.stringify(request);

/** Reads a message body; a body that is not a request gives the reason. */
export function parseRequest(body: string): { ok: true; request: DerivativeRequest } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, reason: "the message body is not JSON" };
  }
  const v = value as Record<string, unknown>;
  if (typeof v !== "object" || v === null) return { ok: false, reason: "the message body is not a JSON object" };
  const missing = ["bucket", "key", "imageId", "sequencer"].filter((field) => typeof v[field] !== "string" || v[field] === "");
  if (missing.length > 0) return { ok: false, reason: `the message lacks ${missing.join(", ")}` };
  if (v.versionId !== undefined && typeof v.versionId !== "string") return { ok: false, reason: "versionId is not a string" };
  if (v.force !== undefined && typeof v.force !== "boolean") return { ok: false, reason: "force is not a boolean" };
  if (v.action !== undefined && v.action !== "delete") return { ok: false, reason: `action is not "delete"` };
  return {
    ok: true,
    request: {
      bucket: v.bucket as string,
      key: v.key as string,
      imageId: v.imageId as string,
      sequencer: v.sequencer as string,
      ...(v.versionId === undefined ? {} : { versionId: v.versionId as string }),
      ...(v.force === true ? { force: true } : {}),
      ...(v.action === "delete" ? { action: "delete" as const } : {}),
    },
  };
}
