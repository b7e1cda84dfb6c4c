import type { ProcessorConfig } from "./config";
import { mapBounded } from "./core/bounded-map";
import { hasImageSuffix } from "./core/key-suffix";
import { buildInvalidRecordItem } from "./core/outcome";
import { noticeForInvalidRecord } from "./core/notice";
import type { InvalidRecord, ObjectRef } from "./core/object-ref";
import { isRemoval, parseS3Event } from "./core/s3-event";
import { type ObjectResult, processObject } from "./process-object";
import { type RemovalResult, processRemoval } from "./process-removal";
import type { Dependencies } from "./ports";

export type { ObjectResult } from "./process-object";

/** An event record that could not be read as an S3 object, recorded and notified; a failure to do so is retried. */
export type InvalidResult =
  | { readonly record: InvalidRecord; readonly ok: true }
  | { readonly record: InvalidRecord; readonly ok: false; readonly error: unknown };

export type EventSummary =
  | { readonly kind: "ignored"; readonly reason: string }
  | {
      readonly kind: "records";
      readonly results: ObjectResult[];
      readonly invalid: InvalidResult[];
      /** Deletions of images (ObjectRemoved events): their items marked, their renditions deleted. */
      readonly removals: RemovalResult[];
      /** Objects whose keys do not end in an image suffix of the configured formats: not read, not recorded. */
      readonly skipped: ObjectRef[];
    };

/** The invocation failed on at least one record; Lambda retries it, then sends it to the dead-letter queue. */
export class RecordsFailedError extends Error {
  constructor(readonly failed: (ObjectResult | InvalidResult | RemovalResult)[]) {
    super(
      `${failed.length} record(s) failed and will be retried: ${failed
        .map((result) => ("ref" in result ? `s3://${result.ref.bucket}/${result.ref.key}` : `record ${result.record.index}`))
        .join(", ")}`,
    );
    this.name = "RecordsFailedError";
  }
}

/** An unreadable event record: recorded (so a retry does not notify again) and notified once. */
async function processInvalid(invalid: InvalidRecord, deps: Dependencies, config: ProcessorConfig): Promise<InvalidResult> {
  try {
    const item = buildInvalidRecordItem(invalid, deps.now());
    const saved = await deps.store.save(item, true);
    if (saved.notificationPending) {
      await deps.notifier.publish(noticeForInvalidRecord(invalid, config.environment));
      await deps.store.markNotified(item);
    }
    return { record: invalid, ok: true };
  } catch (error) {
    return { record: invalid, ok: false, error };
  }
}

/**
 * Processes one invocation: every record is attempted (a few at a time), final outcomes
 * are recorded, and the summary says what happened. The caller throws when any record
 * failed, so that Lambda retries the event; the retry is safe because saves are idempotent.
 */
export async function processEvent(event: unknown, deps: Dependencies, config: ProcessorConfig): Promise<EventSummary> {
  const parsed = parseS3Event(event);
  if (parsed.kind === "ignored") return parsed;
  return processRecords(parsed.objects, parsed.invalid, deps, config);
}

/** The object versions and unreadable records of one invocation, whatever shape they arrived in, processed as {@link processEvent} says. */
export async function processRecords(
  objects: readonly ObjectRef[],
  unreadable: readonly InvalidRecord[],
  deps: Dependencies,
  config: ProcessorConfig,
): Promise<EventSummary & { kind: "records" }> {
  const images: ObjectRef[] = [];
  const removed: ObjectRef[] = [];
  const skipped: ObjectRef[] = [];
  for (const ref of objects) (!hasImageSuffix(ref.key, config.formats) ? skipped : isRemoval(ref) ? removed : images).push(ref);
  const results = await mapBounded(images, config.concurrency, (ref) => processObject(ref, deps, config));
  const removals = await mapBounded(removed, config.concurrency, (ref) => processRemoval(ref, deps, config));
  const invalid = await mapBounded([...unreadable], config.concurrency, (record) => processInvalid(record, deps, config));
  return { kind: "records", results, invalid, removals, skipped };
}

/** The results that failed (a fault to retry), of every kind. */
export const failedResults = (summary: EventSummary & { kind: "records" }) => [
  ...summary.results.filter((result) => !result.ok),
  ...summary.invalid.filter((result) => !result.ok),
  ...summary.removals.filter((result) => !result.ok),
];
