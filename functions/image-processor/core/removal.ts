import type { KeyVersion } from "../ports";

/**
 * The event names of deletions. A user's (or an application's) are `ObjectRemoved:*`; the bucket's
 * lifecycle's are `LifecycleExpiration:*` (the S3 User Guide, "Supported event types":
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 * `…:Delete`: a version deleted for good (or an unversioned object); `…:DeleteMarkerCreated`: a
 * delete marker now hides the version before it.
 */
export const DELETE_EVENTS = {
  deleted: "ObjectRemoved:Delete",
  markerCreated: "ObjectRemoved:DeleteMarkerCreated",
  expired: "LifecycleExpiration:Delete",
  expiredToMarker: "LifecycleExpiration:DeleteMarkerCreated",
} as const;

/**
 * The event the processor gives itself for a version that is current again (its delete marker
 * removed, or the newer version deleted for good) while its item says `deleted`: the version is
 * read and recorded again like an upload, with the deletion's sequencer, which is newer than the
 * tombstone's.
 */
export const RESTORE_EVENT = "ObjectCreated:CurrentAgain";

const MARKER_CREATED: readonly string[] = [DELETE_EVENTS.markerCreated, DELETE_EVENTS.expiredToMarker];

/** What a deletion event changes in the table, decided from the event and the key's versions listed after it. */
export interface RemovalPlan {
  /** The version whose item is marked deleted; absent when the deletion took no version out of view. */
  readonly mark?: string;
  /**
   * Whether the mark may create the item (a tombstone) when the version is not recorded yet: only
   * for a version a delete marker hides, whose bytes S3 still serves by its id, so that its late
   * creation event is stale. A version deleted for good needs none (its late creation finds no
   * bytes and records `missing`), and an id deleted for good may be a delete marker's own, which
   * must get no item.
   */
  readonly tombstone: boolean;
}

/** The key's current version: the latest entry when it is not a delete marker. */
export function currentVersion(versions: readonly KeyVersion[]): string | undefined {
  const latest = versions.find((v) => v.isLatest) ?? versions[0];
  return latest === undefined || latest.isDeleteMarker ? undefined : latest.versionId;
}

/** Whether the key has no current version any more: nothing, or a delete marker, is latest. */
export const currentVersionGone = (versions: readonly KeyVersion[]): boolean => currentVersion(versions) === undefined;

/**
 * Which version a deletion removed from view. A version deleted for good names itself (the null
 * version for an unversioned object). A delete marker hides the newest real version before it —
 * while the marker is still there: a marker's event taken after the marker itself was deleted (the
 * undelete, replayed or late) hides nothing any more. Never the key's current version: a late or
 * replayed event must not mark deleted what S3 serves (a null version written again since).
 */
export function planRemoval(event: { eventName: string; versionId?: string }, versions: readonly KeyVersion[]): RemovalPlan {
  const current = currentVersion(versions);
  const notCurrent = (versionId: string | undefined) => (versionId === undefined || versionId === current ? undefined : versionId);
  if (!MARKER_CREATED.includes(event.eventName)) return { mark: notCurrent(event.versionId ?? "null"), tombstone: false };
  const marker = versions.findIndex((v) => v.isDeleteMarker && v.versionId === event.versionId);
  if (marker === -1) return { tombstone: true };
  return { mark: notCurrent(versions.slice(marker + 1).find((v) => !v.isDeleteMarker)?.versionId), tombstone: true };
}
