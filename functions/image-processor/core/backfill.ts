import { ADOPT_EVENT } from "./legacy-item";
import { bareETag } from "./outcome";

/**
 * Events the operators' command (`image-pipeline backfill`) sends for objects already in the
 * bucket, in the shape of S3's. Both sides import this file.
 *
 * Ordering: items are per object version, and a write only replaces an item whose sequencer is
 * lower. A backfill event carries the lowest sequencer, so it records versions nobody recorded
 * and never replaces an item written from a real upload event. A reprocess event carries the
 * stored item's own sequencer: it replaces that item only when another processor version wrote
 * it, and a newer real event (a higher sequencer) still wins. An adopt event rewrites, in place,
 * the item the original CloudFormation design's function wrote for the key (core/legacy-item.ts).
 */
export const BACKFILL_EVENT = "ObjectCreated:Backfill";
export const REPROCESS_EVENT = "ObjectCreated:Reprocess";
export const BACKFILL_SEQUENCER = "0";

/** An object version as the bucket listing shows it. */
export interface ListedObject {
  readonly key: string;
  readonly versionId?: string;
  readonly size: number;
  readonly eTag?: string;
  /** When the version was written: the event time, so the time index files it under its upload day. */
  readonly lastModified: Date;
}

/** S3 event keys are URL-encoded with `+` for spaces and `/` kept; decodeKey in s3-event.ts reverses this. */
export const encodeEventKey = (key: string): string => encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");

/** What a record asks of the processor: record a version, redo an item, or rewrite an adopted item. */
export type BackfillKind = "backfill" | "reprocess" | "adopt";

const EVENT_NAMES: Record<BackfillKind, string> = { backfill: BACKFILL_EVENT, reprocess: REPROCESS_EVENT, adopt: ADOPT_EVENT };

/** One S3-shaped record; `sequencer` is the stored item's for a reprocess (and a repeated adopt). */
export function backfillRecord(
  bucket: string,
  region: string,
  object: ListedObject,
  kind: BackfillKind = "backfill",
  sequencer: string = BACKFILL_SEQUENCER,
) {
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: region,
    eventTime: object.lastModified.toISOString(),
    eventName: EVENT_NAMES[kind],
    s3: {
      s3SchemaVersion: "1.0",
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeEventKey(object.key),
        size: object.size,
        eTag: bareETag(object.eTag),
        versionId: object.versionId,
        sequencer,
      },
    },
  };
}
