import type { KeyVersion } from "../ports";

/**
 * Which version a deletion removed from view. `ObjectRemoved:Delete` names it (a version deleted
 * for good, or an unversioned object); `ObjectRemoved:DeleteMarkerCreated` names the marker, which
 * hides the newest real version before it.
 */
export function removedVersionId(event: { eventName: string; versionId?: string }, versions: readonly KeyVersion[]): string | undefined {
  if (event.eventName !== "ObjectRemoved:DeleteMarkerCreated") return event.versionId ?? "null";
  const marker = versions.findIndex((v) => v.versionId === event.versionId);
  const after = marker === -1 ? versions : versions.slice(marker + 1);
  return after.find((v) => !v.isDeleteMarker)?.versionId;
}

/** Whether the key has no current version any more: nothing, or a delete marker, is latest. */
export const currentVersionGone = (versions: readonly KeyVersion[]): boolean => {
  const latest = versions.find((v) => v.isLatest) ?? versions[0];
  return latest === undefined || latest.isDeleteMarker;
};
