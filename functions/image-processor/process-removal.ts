import { imageId } from "../shared/image-id";
import type { ObjectRef } from "./core/object-ref";
import { currentVersionGone, removedVersionId } from "./core/removal";
import type { Dependencies } from "./ports";

export type RemovalResult =
  | {
      readonly ref: ObjectRef;
      readonly ok: true;
      /** The version the deletion took out of view (none: the key had no real version left to mark). */
      readonly removedVersionId?: string;
      /** written: its item is marked deleted; stale: a newer event is recorded; none: no version to mark. */
      readonly marked: "written" | "stale" | "none";
      /**
       * The derivatives function was asked to bring the key's renditions in line: deleted when the key
       * has no current version any more, or made again of the version that is current once more.
       */
      readonly renditionsRequested: boolean;
    }
  | { readonly ref: ObjectRef; readonly ok: false; readonly error: unknown };

/**
 * An image deleted (a delete marker, or a version deleted for good): the version's item is marked
 * `deleted` with the time, keeping no personal facts, and when the key has no current version any
 * more its renditions are deleted too (by the derivatives function, which holds that permission).
 * A failure is retried with the event, like a creation's.
 */
export async function processRemoval(ref: ObjectRef, deps: Dependencies): Promise<RemovalResult> {
  try {
    const versions = await deps.images.versions(ref.bucket, ref.key);
    const removed = removedVersionId(ref, versions);
    const id = imageId(ref.bucket, ref.key, removed);
    const marked =
      removed === undefined
        ? ("none" as const)
        : await deps.store.markDeleted({
            ImageId: id,
            BucketName: ref.bucket,
            ObjectKey: ref.key,
            VersionId: removed,
            Sequencer: ref.sequencer,
            DeletedAt: deps.now().toISOString(),
          });
    // The events come only where deletions propagate (the bucket notification subscribes to them).
    // A version deleted for good may have been the current one, whose renditions the key holds:
    // the derivatives function then makes the now current version's again.
    const renditionsRequested =
      deps.derivatives !== undefined && (currentVersionGone(versions) || ref.eventName === "ObjectRemoved:Delete");
    if (renditionsRequested) {
      await deps.derivatives!.request({ bucket: ref.bucket, key: ref.key, imageId: id, sequencer: ref.sequencer, action: "delete" });
    }
    return { ref, ok: true, ...(removed === undefined ? {} : { removedVersionId: removed }), marked, renditionsRequested };
  } catch (error) {
    return { ref, ok: false, error };
  }
}
