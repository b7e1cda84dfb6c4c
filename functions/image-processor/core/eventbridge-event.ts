import { createHash } from "node:crypto";
import type { InvalidRecord, ObjectRef } from "./object-ref";
import { EVENTBRIDGE_DETAIL_TYPES } from "../environment";
import { normalizeSequencer } from "./s3-event";
import { DELETE_EVENTS } from "./removal";

// S3's events as EventBridge delivers them ("Using EventBridge" in the S3 User Guide): one event
// per object, the key in `detail.object.key` as it is (not URL-encoded, unlike a notification's),
// `version-id` and `sequencer` as in a notification. They reach the processor through the
// pipeline's event queue, one SQS message each.

/** `detail.reason` of an Object Created event, as the notification's event name it stands for. */
const CREATED_BY: Record<string, string> = {
  PutObject: "ObjectCreated:Put",
  PostObject: "ObjectCreated:Post",
  CopyObject: "ObjectCreated:Copy",
  CompleteMultipartUpload: "ObjectCreated:CompleteMultipartUpload",
};

/**
 * `detail.deletion-type` of an Object Deleted event, as the notification's event name it stands for:
 * `ObjectRemoved:*` when `detail.reason` is `DeleteObject`, `LifecycleExpiration:*` when it is
 * `Lifecycle Expiration` (the S3 User Guide, "Using EventBridge":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html), so that both delivery
 * modes record an expiration alike.
 */
const DELETED_BY: Record<string, { deleted: string; expired: string }> = {
  "Permanently Deleted": { deleted: DELETE_EVENTS.deleted, expired: DELETE_EVENTS.expired },
  "Delete Marker Created": { deleted: DELETE_EVENTS.markerCreated, expired: DELETE_EVENTS.expiredToMarker },
};
const LIFECYCLE_REASON = "Lifecycle Expiration";

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * One EventBridge event (an SQS message's body, already parsed or not) as the object version it
 * announces, or the reason it announces none. `index` is its place in the batch, for logs only:
 * the fingerprint is of the event alone, so a redelivery in another batch is the same record.
 */
export function parseEventBridgeS3Event(body: unknown, index: number): ObjectRef | InvalidRecord {
  let event: unknown = body;
  if (typeof body === "string") {
    try {
      event = JSON.parse(body);
    } catch {
      event = undefined;
    }
  }
  const detail = isObject(event) && isObject(event.detail) ? event.detail : undefined;
  const object = detail && isObject(detail.object) ? detail.object : undefined;
  const bucket = detail && isObject(detail.bucket) ? text(detail.bucket.name) : undefined;
  const key = object ? text(object.key) : undefined;
  const fingerprint = createHash("sha256")
    .update(typeof body === "string" ? body : (JSON.stringify(body) ?? "undefined"))
    .digest("hex");
  const named = { index, fingerprint, bucket, key };

  if (!isObject(event)) return { ...named, reason: "message body is not an EventBridge event (JSON object)" };
  if (event.source !== "aws.s3") return { ...named, reason: `not an S3 event (source: ${JSON.stringify(event.source ?? null)})` };
  const detailType = event["detail-type"];
  const eventName =
    detailType === EVENTBRIDGE_DETAIL_TYPES.created
      ? (CREATED_BY[String(detail?.reason)] ?? "ObjectCreated:Put")
      : detailType === EVENTBRIDGE_DETAIL_TYPES.deleted
        ? DELETED_BY[String(detail?.["deletion-type"])]?.[detail?.reason === LIFECYCLE_REASON ? "expired" : "deleted"]
        : undefined;
  if (detailType !== EVENTBRIDGE_DETAIL_TYPES.created && detailType !== EVENTBRIDGE_DETAIL_TYPES.deleted) {
    return { ...named, reason: `not an Object Created or Object Deleted event (detail-type: ${JSON.stringify(detailType ?? null)})` };
  }
  if (eventName === undefined) {
    return { ...named, reason: `detail.deletion-type is not one S3 sends: ${JSON.stringify(detail?.["deletion-type"] ?? null)}` };
  }
  if (!bucket) return { ...named, reason: "event has no detail.bucket.name" };
  if (!key) return { ...named, reason: "event has no detail.object.key" };
  const sequencer = normalizeSequencer(String(object!.sequencer ?? ""));
  if (!sequencer) return { ...named, reason: "detail.object.sequencer is missing or not hexadecimal" };
  const time = text(event.time);
  if (!time || Number.isNaN(Date.parse(time))) return { ...named, reason: "time is missing or not a date" };
  const size = object!.size;
  if (size !== undefined && (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)) {
    return { ...named, reason: "detail.object.size is not a non-negative integer" };
  }

  return {
    bucket,
    key,
    versionId: text(object!["version-id"]),
    sequencer,
    size: size ?? 0,
    eTag: text(object!.etag),
    eventName,
    eventTime: new Date(time).toISOString(),
    keyMayBeEncoded: true,
  };
}
