import type { ProcessorConfig } from "./config";
import { REPROCESS_EVENT } from "./core/backfill";
import { ADOPT_EVENT } from "./core/legacy-item";
import { RESTORE_EVENT } from "./core/removal";
import { readExif } from "./core/exif";
import { contentTypeConflict, inspectObject } from "./core/image-inspection";
import { type Decision, type MetadataItem, type ObjectHead, buildItem } from "./core/outcome";
import { noticeForItem, shouldNotify } from "./core/notice";
import type { ObjectRef } from "./core/object-ref";
import { formDecodedAlternative } from "./core/s3-event";
import { type Dependencies, type OpenedObject, type SaveResult, UnreadableObjectError } from "./ports";
import type { RangeReader } from "./core/read-header";

// One object version read, judged and recorded: an upload's, a backfill's, or a version current
// again after a deletion (process-removal.ts).
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

/**
 * Reads, judges and records one object version. A key that may arrive URL-encoded (EventBridge's,
 * see core/object-ref.ts) and names no object is tried form-decoded once; the item then records the
 * key S3 has. The result keeps the event's ref, which names the record to retry.
 */
export async function processObject(ref: ObjectRef, deps: Dependencies, config: ProcessorConfig): Promise<ObjectResult> {
  const reads = countedReads(ref, deps);
  const cost = () => ({
    gets: reads.cost.gets + (decodedReads?.cost.gets ?? 0),
    bytesRead: reads.cost.bytesRead + (decodedReads?.cost.bytesRead ?? 0),
  });
  let decodedReads: Reads | undefined;
  try {
    let judged = await judge(reads, config);
    let stored = ref;
    const decoded = ref.keyMayBeEncoded && judged.decision.status === "missing" ? formDecodedAlternative(ref.key) : undefined;
    if (decoded !== undefined) {
      const decodedRef = { ...ref, key: decoded };
      decodedReads = countedReads(decodedRef, deps);
      const again = await judge(decodedReads, config);
      if (again.decision.status !== "missing") [judged, stored] = [again, decodedRef];
    }
    const { bytesRead, gets } = cost();
    return { ...(await record(stored, judged.head, judged.decision, deps, config, bytesRead, gets)), ref };
  } catch (error) {
    return { ref, ok: false, error, ...cost() };
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
  // Old news, so no notice: an adopted key deleted before the move (recorded as missing), and a
  // version current again, whose upload was notified when it came.
  const restore = ref.eventName === RESTORE_EVENT;
  const notify =
    shouldNotify(item.Status, config.notifyOnSuccess) && !(ref.eventName === ADOPT_EVENT && item.Status === "missing") && !restore;
  const saved = await deps.store.save(item, notify, {
    replaceOtherProcessorVersion: ref.eventName === REPROCESS_EVENT,
    adoptLegacyItem: ref.eventName === ADOPT_EVENT,
    ...(restore ? { restore } : {}),
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
