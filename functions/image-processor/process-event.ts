import type { ProcessorConfig } from "./config";
import { mapBounded } from "./core/bounded-map";
import { REPROCESS_EVENT } from "./core/backfill";
import { ADOPT_EVENT } from "./core/legacy-item";
import { readExif } from "./core/exif";
import { hasImageSuffix } from "./core/key-suffix";
import { contentTypeConflict, inspectObject } from "./core/image-inspection";
import { type Decision, type MetadataItem, type ObjectHead, buildInvalidRecordItem, buildItem } from "./core/outcome";
import { noticeForInvalidRecord, noticeForItem, shouldNotify } from "./core/notice";
import type { InvalidRecord, ObjectRef } from "./core/object-ref";
import { isRemoval, parseS3Event } from "./core/s3-event";
import { type RemovalResult, processRemoval } from "./process-removal";
import { type Dependencies, type OpenedObject, type SaveResult, UnreadableObjectError } from "./ports";
import type { RangeReader } from "./core/read-header";

export type ObjectResult =
  | {
      readonly ref: ObjectRef;
      readonly ok: true;
      readonly item: MetadataItem;
      readonly saved: SaveResult["outcome"];
      readonly notified: boolean;
      /** A derivatives request was sent for the item. */
      readonly derivativesRequested: boolean;
      readonly bytesRead: number;
      readonly gets: number;
      /** From the upload (event time) to the recorded decision. */
      readonly latencyMs: number;
    }
  | { readonly ref: ObjectRef; readonly ok: false; readonly error: unknown; readonly bytesRead: number; readonly gets: number };

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

/** Every GET made for one object and the bytes S3 returned to them, counted as they are made, whatever comes of them. */
function countedReads(ref: ObjectRef, deps: Dependencies) {
  const cost = { gets: 0, bytesRead: 0 };
  const open = async (windowBytes: number) => {
    cost.gets++;
    const opened = await deps.images.open(ref, windowBytes);
    cost.bytesRead += opened?.first.length ?? 0;
    return opened;
  };
  const read: RangeReader = async (start, length) => {
    cost.gets++;
    const bytes = await deps.images.read(ref, start, length);
    cost.bytesRead += bytes?.length ?? 0;
    return bytes;
  };
  return { cost, open, read };
}

type Reads = ReturnType<typeof countedReads>;

/**
 * Decides the status from the first window (already read with the head) and, only when its
 * structure points past it, more spans within the read budget. Never downloads the whole object.
 */
async function decide({ head, first }: OpenedObject, reads: Reads, config: ProcessorConfig): Promise<Decision> {
  const limits = { objectSize: head.size, maxPixels: config.maxImagePixels, formats: config.formats };
  const result = await inspectObject(first, reads.read, limits, config.budget);
  if (result.kind === "missing") return { status: "missing", reason: "the object version was deleted before it was processed" };
  const { inspection } = result;
  if (inspection.kind === "rejected") {
    const { format, reason, header } = inspection;
    return { status: "rejected", reason, format, width: header?.width, height: header?.height };
  }
  const { format, header } = inspection;
  const exif = header.exif ? await readExif(header.exif, { withCoordinates: config.recordGpsCoordinates }) : undefined;
  const decision: Decision = { status: "processed", format, width: header.width, height: header.height, header, exif };
  const conflict = contentTypeConflict(head.contentType, format);
  return conflict ? { ...decision, status: "rejected", reason: conflict } : decision;
}

/**
 * The decision for one object version: its first GET answers what S3 says of the version (no
 * HeadObject before it) with the first window; S3's permanent refusals are decisions too.
 */
async function judge(reads: Reads, config: ProcessorConfig): Promise<{ head?: ObjectHead; decision: Decision }> {
  try {
    const opened = await reads.open(config.budget.windowBytes);
    if (!opened) return { decision: { status: "missing", reason: "the object version no longer exists" } };
    return { head: opened.head, decision: await decide(opened, reads, config) };
  } catch (error) {
    if (!(error instanceof UnreadableObjectError)) throw error;
    return { decision: { status: "unreadable", reason: `S3 refuses to read the object: ${error.code} (${error.message})` } };
  }
}

async function processObject(ref: ObjectRef, deps: Dependencies, config: ProcessorConfig): Promise<ObjectResult> {
  const reads = countedReads(ref, deps);
  try {
    const { head, decision } = await judge(reads, config);
    return await record(ref, head, decision, deps, config, reads.cost.bytesRead, reads.cost.gets);
  } catch (error) {
    return { ref, ok: false, error, ...reads.cost };
  }
}

/** Saves the decision idempotently and sends its notice at most once per recorded item. */
async function record(
  ref: ObjectRef,
  head: ObjectHead | undefined,
  decision: Decision,
  deps: Dependencies,
  config: ProcessorConfig,
  bytesRead: number,
  gets: number,
): Promise<ObjectResult> {
  const now = deps.now();
  const item = buildItem(ref, head, decision, now);
  // An adopted key deleted before the move is recorded as missing, but that is old news: no notice.
  const notify = shouldNotify(item.Status, config.notifyOnSuccess) && !(ref.eventName === ADOPT_EVENT && item.Status === "missing");
  const saved = await deps.store.save(item, notify, {
    replaceOtherProcessorVersion: ref.eventName === REPROCESS_EVENT,
    adoptLegacyItem: ref.eventName === ADOPT_EVENT,
  });
  if (saved.notificationPending) {
    // A retry finishes the notice of the item as it was recorded, not of this attempt's decision.
    const recorded = (saved.outcome === "duplicate" && saved.stored) || item;
    await deps.notifier.publish(noticeForItem(recorded, config.environment));
    await deps.store.markNotified(recorded);
  }
  // Also for a duplicate: the first attempt may have failed between the write and the send.
  // The derivatives function skips a request whose renditions are already recorded.
  // Not for a reprocess that kept the version's renditions: they were made of these very bytes.
  const renditionsKept = saved.outcome === "written" && saved.renditionsKept === true;
  const derivativesRequested =
    deps.derivatives !== undefined && item.Status === "processed" && saved.outcome !== "stale" && !renditionsKept;
  if (derivativesRequested) {
    await deps.derivatives!.request({
      bucket: ref.bucket,
      key: ref.key,
      ...(ref.versionId === undefined ? {} : { versionId: ref.versionId }),
      imageId: item.ImageId,
      sequencer: item.Sequencer,
    });
  }
  return {
    ref,
    ok: true,
    item,
    saved: saved.outcome,
    notified: saved.notificationPending,
    derivativesRequested,
    bytesRead,
    gets,
    latencyMs: Math.max(0, now.getTime() - Date.parse(ref.eventTime)),
  };
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
  const removals = await mapBounded(removed, config.concurrency, (ref) => processRemoval(ref, deps));
  const invalid = await mapBounded([...unreadable], config.concurrency, (record) => processInvalid(record, deps, config));
  return { kind: "records", results, invalid, removals, skipped };
}

/** The results that failed (a fault to retry), of every kind. */
export const failedResults = (summary: EventSummary & { kind: "records" }) => [
  ...summary.results.filter((result) => !result.ok),
  ...summary.invalid.filter((result) => !result.ok),
  ...summary.removals.filter((result) => !result.ok),
];
