import { ProcessorConfig } from "./config";
import { mapBounded } from "./core/bounded-map";
import { contentTypeConflict, inspectImage } from "./core/image-inspection";
import { Decision, MetadataItem, ObjectHead, buildItem } from "./core/outcome";
import { noticeForInvalidRecord, noticeForItem, shouldNotify } from "./core/notice";
import { InvalidRecord, ObjectRef } from "./core/object-ref";
import { parseS3Event } from "./core/s3-event";
import { Dependencies, SaveResult } from "./ports";

export type ObjectResult =
  | {
      readonly ref: ObjectRef;
      readonly ok: true;
      readonly item: MetadataItem;
      readonly saved: SaveResult["outcome"];
      readonly notified: boolean;
      readonly bytesRead: number;
      /** From the upload (event time) to the recorded decision. */
      readonly latencyMs: number;
    }
  | { readonly ref: ObjectRef; readonly ok: false; readonly error: unknown; readonly bytesRead: number };

export type EventSummary =
  | { readonly kind: "ignored"; readonly reason: string }
  | { readonly kind: "records"; readonly results: ObjectResult[]; readonly invalid: InvalidRecord[] };

/** The invocation failed on at least one record; Lambda retries it, then sends it to the dead-letter queue. */
export class RecordsFailedError extends Error {
  constructor(readonly failed: ObjectResult[]) {
    super(
      `${failed.length} record(s) failed and will be retried: ${failed
        .map((result) => `s3://${result.ref.bucket}/${result.ref.key}`)
        .join(", ")}`,
    );
    this.name = "RecordsFailedError";
  }
}

/**
 * Reads the start of the object (one window, and one more only if the dimensions lie
 * past it) and decides its status. Never downloads the whole object.
 */
async function decide(ref: ObjectRef, head: ObjectHead, deps: Dependencies, config: ProcessorConfig) {
  const window = config.readWindowBytes;
  const limits = { objectSize: head.size, maxPixels: config.maxImagePixels };
  let bytesRead = 0;
  const read = async (start: number) => {
    const bytes = await deps.images.read(ref, start, Math.min(window, head.size - start));
    bytesRead += bytes?.length ?? 0;
    return bytes;
  };
  const missing: Decision = { status: "missing", reason: "the object version was deleted before it was processed" };

  if (head.size === 0) return { decision: inspected(inspectImage(new Uint8Array(), limits), head), bytesRead };
  let bytes = await read(0);
  if (!bytes) return { decision: missing, bytesRead };
  let inspection = inspectImage(bytes, limits);
  if (inspection.kind === "needs-more-bytes") {
    const rest = await read(bytes.length);
    if (!rest) return { decision: missing, bytesRead };
    bytes = Buffer.concat([bytes, rest]);
    inspection = inspectImage(bytes, limits);
    if (inspection.kind === "needs-more-bytes") {
      return {
        decision: {
          status: "rejected",
          format: inspection.format,
          reason: `no ${inspection.format} dimensions in the first ${bytes.length} bytes (the read limit)`,
        } satisfies Decision,
        bytesRead,
      };
    }
  }
  return { decision: inspected(inspection, head), bytesRead };
}

function inspected(inspection: ReturnType<typeof inspectImage>, head: ObjectHead): Decision {
  if (inspection.kind === "rejected") return { status: "rejected", reason: inspection.reason, format: inspection.format };
  if (inspection.kind === "needs-more-bytes") throw new Error("unreachable: inspection needs more bytes");
  const conflict = contentTypeConflict(head.contentType, inspection.format);
  const { format, width, height } = inspection;
  return conflict ? { status: "rejected", reason: conflict, format, width, height } : { status: "processed", format, width, height };
}

async function processObject(ref: ObjectRef, deps: Dependencies, config: ProcessorConfig): Promise<ObjectResult> {
  let bytesRead = 0;
  try {
    const head = await deps.images.head(ref);
    let decision: Decision;
    if (head) {
      ({ decision, bytesRead } = await decide(ref, head, deps, config));
    } else {
      decision = { status: "missing", reason: "the object version no longer exists" };
    }
    const now = deps.now();
    const item = buildItem(ref, head, decision, now);
    const saved = await deps.store.save(item, shouldNotify(item.Status, config.notifyOnSuccess));
    if (saved.notificationPending) {
      await deps.notifier.publish(noticeForItem(item, config.environment));
      await deps.store.markNotified(item);
    }
    return {
      ref,
      ok: true,
      item,
      saved: saved.outcome,
      notified: saved.notificationPending,
      bytesRead,
      latencyMs: Math.max(0, now.getTime() - Date.parse(ref.eventTime)),
    };
  } catch (error) {
    return { ref, ok: false, error, bytesRead };
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

  const results = await mapBounded(parsed.objects, config.concurrency, (ref) => processObject(ref, deps, config));
  // An unreadable record cannot be stored without an id: it is reported instead, and not retried.
  for (const record of parsed.invalid) {
    await deps.notifier.publish(noticeForInvalidRecord(record, config.environment));
  }
  return { kind: "records", results, invalid: parsed.invalid };
}
