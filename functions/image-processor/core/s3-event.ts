import { createHash } from "node:crypto";
import type { InvalidRecord, ObjectRef } from "./object-ref";

/** What the handler should do with an invocation's payload. */
export type ParsedEvent =
  | { readonly kind: "ignored"; readonly reason: string }
  | { readonly kind: "records"; readonly objects: ObjectRef[]; readonly invalid: InvalidRecord[] };

/**
 * The event names of deletions (core/removal.ts, DELETE_EVENTS): a user's, `ObjectRemoved:Delete`
 * (a version, or an unversioned object) and `ObjectRemoved:DeleteMarkerCreated`, and the bucket
 * lifecycle's, `LifecycleExpiration:Delete` and `LifecycleExpiration:DeleteMarkerCreated`.
 */
const REMOVED_PREFIXES = ["ObjectRemoved:", "LifecycleExpiration:"] as const;
export const isRemoval = (ref: { eventName: string }) => REMOVED_PREFIXES.some((prefix) => ref.eventName.startsWith(prefix));

/** Width of a normalised sequencer: S3's are hexadecimal strings of varying length. */
const SEQUENCER_WIDTH = 32;

/**
 * Decodes an S3 event key: form-URL-encoded, so `+` is a space and `%2B` a plus sign.
 * Returns undefined for a key that is not valid percent-encoding.
 */
export function decodeKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * The key a possibly form-encoded key stands for, when it looks encoded (a `+`, or a `%` and two
 * hex digits) and decodes to another valid key; undefined otherwise. For EventBridge's keys, whose
 * encoding AWS does not document: tried only when the key as given names no object.
 */
export function formDecodedAlternative(key: string): string | undefined {
  if (!/\+|%[0-9A-Fa-f]{2}/.test(key)) return undefined;
  const decoded = decodeKey(key);
  return decoded === undefined || decoded === key ? undefined : decoded;
}

/**
 * The S3 User Guide ("Event message structure") says sequencers of different lengths are
 * compared by first right-padding the shorter with zeros, then comparing lexicographically.
 * Padding every one to the same width on the right makes plain string comparison (what a
 * DynamoDB condition does) exactly that comparison.
 */
export function normalizeSequencer(sequencer: string): string | undefined {
  if (!/^[0-9A-Fa-f]{1,32}$/.test(sequencer)) return undefined;
  return sequencer.toUpperCase().padEnd(SEQUENCER_WIDTH, "0");
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * Reads an invocation payload. Never throws: anything that is not an S3 ObjectCreated
 * notification is either ignored as a whole (S3's test event, no records) or reported
 * record by record with a reason.
 */
export function parseS3Event(event: unknown): ParsedEvent {
  if (!isObject(event)) return { kind: "ignored", reason: "payload is not an object" };
  if (event.Event === "s3:TestEvent") return { kind: "ignored", reason: "s3:TestEvent sent when the notification was configured" };
  if (!Array.isArray(event.Records) || event.Records.length === 0) {
    return { kind: "ignored", reason: "payload has no Records" };
  }

  const objects: ObjectRef[] = [];
  const invalid: InvalidRecord[] = [];
  event.Records.forEach((record: unknown, index) => {
    const result = parseRecord(record, index);
    if ("reason" in result) invalid.push(result);
    else objects.push(result);
  });
  return { kind: "records", objects, invalid };
}

function parseRecord(record: unknown, index: number): ObjectRef | InvalidRecord {
  const s3 = isObject(record) && isObject(record.s3) ? record.s3 : undefined;
  const bucket = s3 && isObject(s3.bucket) ? text(s3.bucket.name) : undefined;
  const object = s3 && isObject(s3.object) ? s3.object : undefined;
  const rawKey = object ? text(object.key) : undefined;
  const key = rawKey === undefined ? undefined : decodeKey(rawKey);
  const fingerprint = createHash("sha256")
    .update(`${index}\u0000${JSON.stringify(record) ?? "undefined"}`)
    .digest("hex");
  const named = { index, fingerprint, bucket, key: key ?? rawKey };

  const eventName = isObject(record) ? text(record.eventName) : undefined;
  if (eventName === undefined || (!eventName.startsWith("ObjectCreated:") && !isRemoval({ eventName }))) {
    return {
      ...named,
      reason: `not an ObjectCreated, ObjectRemoved or LifecycleExpiration event (eventName: ${JSON.stringify(eventName ?? null)})`,
    };
  }
  if (!bucket) return { ...named, reason: "record has no s3.bucket.name" };
  if (rawKey === undefined) return { ...named, reason: "record has no s3.object.key" };
  if (key === undefined) return { ...named, reason: "s3.object.key is not valid URL encoding" };

  const sequencer = normalizeSequencer(String(object!.sequencer ?? ""));
  if (!sequencer) return { ...named, reason: "s3.object.sequencer is missing or not hexadecimal" };
  const eventTime = isObject(record) ? text(record.eventTime) : undefined;
  if (!eventTime || Number.isNaN(Date.parse(eventTime))) return { ...named, reason: "eventTime is missing or not a date" };
  const size = object!.size;
  if (size !== undefined && (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)) {
    return { ...named, reason: "s3.object.size is not a non-negative integer" };
  }
  const versionId = text(object!.versionId);

  return {
    bucket,
    key,
    // "null" names the version written while versioning was off; reading without it would read the current one.
    versionId,
    sequencer,
    size: size ?? 0,
    eTag: text(object!.eTag),
    eventName,
    eventTime: new Date(eventTime).toISOString(),
  };
}
