import type { ProcessorConfig } from "./config";
import { imageId } from "../shared/image-id";
import type { ObjectRef } from "./core/object-ref";
import { formDecodedAlternative } from "./core/s3-event";
import { DELETE_EVENTS, RESTORE_EVENT, currentVersion, planRemoval } from "./core/removal";
import type { Dependencies, KeyVersion } from "./ports";
import { type ObjectResult, processObject } from "./process-object";

export type RemovalResult =
  | {
      readonly ref: ObjectRef;
      readonly ok: true;
      /** The version the deletion took out of view (none: the key had no real version left to mark). */
      readonly removedVersionId?: string;
      /** The key S3 has, when it is not the event's (an EventBridge key read form-decoded). */
      readonly objectKey?: string;
      /**
       * written: its item is marked deleted; stale: a newer event is recorded; unrecorded: the id has
       * no item (a delete marker's own, or a version whose creation is not recorded yet) and gets none;
       * none: no version to mark.
       */
      readonly marked: "written" | "stale" | "unrecorded" | "none";
      /** The key's current version, recorded `deleted` until now, read and recorded again (S3's undelete). */
      readonly restored?: ObjectResult & { ok: true };
      /**
       * The derivatives function was asked to bring the key's renditions in line: deleted when the key
       * has no current version any more, or made again of the version that is current once more.
       */
      readonly renditionsRequested: boolean;
    }
  | { readonly ref: ObjectRef; readonly ok: false; readonly error: unknown };

/**
 * A deletion (a delete marker, or a version deleted for good). The version it took out of view is
 * marked `deleted` with the time, keeping no personal facts; when the key has no current version
 * any more its renditions are deleted too (by the derivatives function, which holds that
 * permission). A version that is current again while its item says `deleted` (the marker that hid
 * it removed: S3's undelete) is read and recorded again like an upload, its renditions with it.
 * A failure is retried with the event, like a creation's.
 */
export async function processRemoval(event: ObjectRef, deps: Dependencies, config: ProcessorConfig): Promise<RemovalResult> {
  try {
    let { ref, listed } = await keyAsStored(event, deps);
    const { mark, tombstone } = planRemoval(ref, listed);
    const markIn = (at: ObjectRef) =>
      deps.store.markDeleted(
        {
          ImageId: imageId(at.bucket, at.key, mark),
          BucketName: at.bucket,
          ObjectKey: at.key,
          VersionId: mark!,
          Sequencer: at.sequencer,
          DeletedAt: deps.now().toISOString(),
        },
        tombstone,
      );
    let marked = mark === undefined ? ("none" as const) : await markIn(ref);
    // A key's last version deleted for good lists nothing under either reading: the item tells.
    const decoded = marked === "unrecorded" && ref === event && event.keyMayBeEncoded ? formDecodedAlternative(event.key) : undefined;
    if (decoded !== undefined) {
      const decodedRef = { ...event, key: decoded };
      const markedThere = await markIn(decodedRef);
      if (markedThere !== "unrecorded") [ref, marked] = [decodedRef, markedThere];
    }
    // Listed again after a mark: an undelete between the first listing and the mark has made the
    // marked version current again, and its own event may have found the item not yet marked.
    const versions = marked === "written" ? await deps.images.versions(ref.bucket, ref.key) : listed;
    const restored = await restoreCurrent(ref, versions, deps, config);
    if (restored && !restored.ok) return { ref: event, ok: false, error: restored.error };
    // The events come only where deletions propagate (the bucket notification subscribes to them).
    // A recorded version deleted for good may have been the current one, whose renditions the key
    // holds: the derivatives function then makes the now current version's again. A restored
    // version's renditions are requested with its item.
    const requestRenditions =
      deps.derivatives !== undefined &&
      restored === undefined &&
      (currentVersion(versions) === undefined || (ref.eventName === DELETE_EVENTS.deleted && (marked === "written" || marked === "stale")));
    if (requestRenditions) {
      const id = imageId(ref.bucket, ref.key, mark ?? ref.versionId);
      await deps.derivatives!.request({ bucket: ref.bucket, key: ref.key, imageId: id, sequencer: ref.sequencer, action: "delete" });
    }
    return {
      ref: event,
      ok: true,
      ...(ref.key === event.key ? {} : { objectKey: ref.key }),
      ...(mark === undefined ? {} : { removedVersionId: mark }),
      marked,
      ...(restored ? { restored } : {}),
      renditionsRequested: requestRenditions || (restored?.derivativesRequested ?? false),
    };
  } catch (error) {
    return { ref: event, ok: false, error };
  }
}

/**
 * The key as S3 has it, with its versions: an EventBridge key that may be URL-encoded and lists
 * nothing is listed form-decoded too (as process-object.ts reads it).
 */
async function keyAsStored(event: ObjectRef, deps: Dependencies): Promise<{ ref: ObjectRef; listed: readonly KeyVersion[] }> {
  const listed = await deps.images.versions(event.bucket, event.key);
  const decoded = event.keyMayBeEncoded && listed.length === 0 ? formDecodedAlternative(event.key) : undefined;
  if (decoded === undefined) return { ref: event, listed };
  const decodedListed = await deps.images.versions(event.bucket, decoded);
  return decodedListed.length > 0 ? { ref: { ...event, key: decoded }, listed: decodedListed } : { ref: event, listed };
}

/**
 * The key's current version read and recorded again, when its item says `deleted` by a deletion no
 * newer than this event; undefined otherwise. A newer deletion's tombstone is left to that
 * deletion's own undelete, whose event is newer still.
 */
async function restoreCurrent(ref: ObjectRef, versions: readonly KeyVersion[], deps: Dependencies, config: ProcessorConfig) {
  const current = currentVersion(versions);
  if (current === undefined) return undefined;
  if (!(await deps.store.isTombstone(imageId(ref.bucket, ref.key, current), ref.sequencer))) return undefined;
  return processObject(
    {
      bucket: ref.bucket,
      key: ref.key,
      versionId: current,
      // Newer than the tombstone's (S3's sequencers grow per key), or the same when this very
      // event wrote it: the store's restore write takes either over a `deleted` item.
      sequencer: ref.sequencer,
      size: 0,
      eventName: RESTORE_EVENT,
      eventTime: ref.eventTime,
      // The item keeps the day the version was uploaded, not the day it came back.
      timeFromObject: true,
    },
    deps,
    config,
  );
}
