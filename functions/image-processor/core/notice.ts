import type { ImageStatus, MetadataItem } from "./outcome";
import type { InvalidRecord } from "./object-ref";

/** A message for the notifications topic. */
export interface Notice {
  /** ASCII only and at most 100 characters: SNS rejects anything else. */
  readonly subject: string;
  readonly message: string;
  /** SNS message attributes, so subscribers can filter by status or environment. */
  readonly attributes: { readonly status: ImageStatus | "invalid-event"; readonly environment: string };
}

/** Rejected and missing images are always notified; processed ones only when asked for. */
export function shouldNotify(status: ImageStatus, notifyOnSuccess: boolean): boolean {
  return status !== "processed" || notifyOnSuccess;
}

const subject = (what: string, environment: string) => `Image ${what} (${environment})`.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);

// Pretty JSON reads well in an email and parses in a queue subscriber.
const body = (fields: object) => JSON.stringify(fields, null, 2);

export function noticeForItem(item: MetadataItem, environment: string): Notice {
  return {
    subject: subject(item.Status, environment),
    message: body({
      status: item.Status,
      reason: item.Reason,
      bucket: item.BucketName,
      key: item.ObjectKey,
      versionId: item.VersionId,
      imageId: item.ImageId,
      detectedFormat: item.DetectedFormat,
      width: item.Width,
      height: item.Height,
      size: item.FileSize,
      uploadedAt: new Date(item.UploadTimestamp * 1000).toISOString(),
      environment,
    }),
    attributes: { status: item.Status, environment },
  };
}

export function noticeForInvalidRecord(record: InvalidRecord, environment: string): Notice {
  return {
    subject: subject("event could not be read", environment),
    message: body({ status: "invalid-event", reason: record.reason, bucket: record.bucket, key: record.key, environment }),
    attributes: { status: "invalid-event", environment },
  };
}
