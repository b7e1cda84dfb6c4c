// Deletions and S3's undelete in every order their events can be taken: S3 keeps no order between
// a key's events, Lambda retries and dead-letter replays deliver them again, and a listing is what
// the bucket holds when it is asked, not when the event was sent.
import { imageId } from "../../../functions/shared/image-id";
import { processEvent } from "../../../functions/image-processor/process-event";
import { encodeKey, image, s3Event } from "../../fixtures";
import { CONFIG, fakesWithDerivatives } from "./fakes";
import { VersionedBucket } from "./versioned-bucket";

const BUCKET = "image-storage-bucket-dev-123456789012";
const KEY = "photos/a cat.jpg";
const jpeg = image("baseline-exif.jpg");

function scene() {
  const bucket = new VersionedBucket();
  const { store, queue, notifier, deps: base } = fakesWithDerivatives();
  const deps = { ...base, images: bucket };
  let sequencer = 0x1000;
  /** S3's event for what just happened to the key: its sequencer grows with every change. */
  const event = (eventName: string, versionId: string) =>
    s3Event({ encodedKey: encodeKey(KEY), versionId, eventName, sequencer: (sequencer++).toString(16).toUpperCase() });
  const take = (e: ReturnType<typeof event>) => processEvent(e, deps, CONFIG);
  const item = (versionId: string) => store.items.get(imageId(BUCKET, KEY, versionId));
  return { bucket, store, queue, notifier, event, take, item };
}

/** The item as a decision wrote it, without what changes between two writes of the same facts. */
const facts = (item: object | undefined) => {
  const { Sequencer, ProcessedAt, NotificationPending, ...rest } = (item ?? {}) as Record<string, unknown>;
  return rest;
};

/** Upload, processed; a delete marker; the marker's event built (not taken). */
function uploadedThenDeleted(s: ReturnType<typeof scene>) {
  const version = s.bucket.put(KEY, jpeg);
  const created = s.event("ObjectCreated:Put", version);
  const marker = s.bucket.deleteMarker(KEY);
  const markerCreated = s.event("ObjectRemoved:DeleteMarkerCreated", marker);
  return { version, created, marker, markerCreated };
}

/** S3's undelete: the marker version deleted; its event. */
function undelete(s: ReturnType<typeof scene>, marker: string) {
  s.bucket.deleteVersion(KEY, marker);
  return s.event("ObjectRemoved:Delete", marker);
}

describe("processRemoval: undelete", () => {
  it("created, marker, undelete in order: the version is processed again with its facts, and its renditions are requested", async () => {
    // Arrange
    const s = scene();
    const { version, created, marker, markerCreated } = uploadedThenDeleted(s);
    await s.take(created);
    const uploaded = facts(s.item(version));
    await s.take(markerCreated);
    expect(s.item(version)).toMatchObject({ Status: "deleted" });
    s.queue.requests.length = 0;

    // Act
    const summary = await s.take(undelete(s, marker));

    // Assert
    expect(facts(s.item(version))).toEqual(uploaded);
    expect(s.store.items.has(imageId(BUCKET, KEY, marker))).toBe(false);
    expect(s.store.items.size).toBe(1);
    expect(summary.kind === "records" && summary.removals[0]).toMatchObject({
      ok: true,
      marked: "unrecorded",
      restored: { saved: "written", item: { Status: "processed", VersionId: version } },
      renditionsRequested: true,
    });
    // One request: the version's renditions, not a delete of the key's.
    expect(s.queue.requests).toEqual([expect.objectContaining({ versionId: version, imageId: imageId(BUCKET, KEY, version) })]);
    expect(s.queue.requests[0]).not.toHaveProperty("action");
    expect(s.notifier.notices).toEqual([]);
  });

  it("the marker's event replayed after the restore marks nothing", async () => {
    const s = scene();
    const { version, created, marker, markerCreated } = uploadedThenDeleted(s);
    for (const e of [created, markerCreated, undelete(s, marker)]) await s.take(e);
    const restored = s.item(version);

    const replay = await s.take(markerCreated);

    expect(s.item(version)).toEqual(restored);
    expect(replay.kind === "records" && replay.removals[0]).toMatchObject({ ok: true, marked: "none" });
  });

  it("the undelete's event before the marker's: the late marker's event marks nothing, and no renditions are deleted", async () => {
    const s = scene();
    const { version, created, marker, markerCreated } = uploadedThenDeleted(s);
    const undeleted = undelete(s, marker);
    await s.take(created);
    s.queue.requests.length = 0;

    for (const e of [undeleted, markerCreated]) await s.take(e);

    expect(s.item(version)).toMatchObject({ Status: "processed" });
    expect(s.store.items.size).toBe(1);
    expect(s.queue.requests).toEqual([]);
  });

  it("the marker's event before the creation's, then the undelete: the tombstone is restored and the late creation is stale", async () => {
    const s = scene();
    const { version, created, marker, markerCreated } = uploadedThenDeleted(s);

    await s.take(markerCreated);
    expect(s.item(version)).toMatchObject({ Status: "deleted" });
    await s.take(undelete(s, marker));
    const late = await s.take(created);

    expect(s.item(version)).toMatchObject({ Status: "processed", VersionId: version });
    expect(late.kind === "records" && late.results[0]).toMatchObject({ ok: true, saved: "stale" });
    expect(s.store.items.size).toBe(1);
  });

  it("every event taken after the undelete, the undelete's first: nothing is marked and no item is written for the marker", async () => {
    const s = scene();
    const { version, created, marker, markerCreated } = uploadedThenDeleted(s);
    const undeleted = undelete(s, marker);

    for (const e of [undeleted, markerCreated, created]) await s.take(e);

    expect([...s.store.items.values()].map((i) => [i.VersionId, i.Status])).toEqual([[version, "processed"]]);
  });

  it("a marker's event that listed before the undelete and marks after the undelete's event was taken: it restores what it marked", async () => {
    // Arrange: the undelete happens, and its event is taken, between the marker event's listing and its mark
    const s = scene();
    const { version, created, marker, markerCreated } = uploadedThenDeleted(s);
    await s.take(created);
    const mark = s.store.markDeleted.bind(s.store);
    let raced = false;
    s.store.markDeleted = async (deleted, tombstone) => {
      if (!raced) {
        raced = true;
        await s.take(undelete(s, marker));
        expect(s.item(version)).toMatchObject({ Status: "processed" });
      }
      return mark(deleted, tombstone);
    };

    // Act
    const summary = await s.take(markerCreated);

    // Assert: marked, then found current, then recorded again
    expect(summary.kind === "records" && summary.removals[0]).toMatchObject({ marked: "written", restored: { saved: "written" } });
    expect(s.item(version)).toMatchObject({ Status: "processed" });
  });

  it("an older undelete's event leaves a newer marker's tombstone to that marker's own undelete", async () => {
    // Arrange: deleted and undeleted twice; each marker's event taken while its marker was there
    const s = scene();
    const { version, created, marker: first, markerCreated } = uploadedThenDeleted(s);
    for (const e of [created, markerCreated]) await s.take(e);
    const firstUndeleted = undelete(s, first);
    const second = s.bucket.deleteMarker(KEY);
    await s.take(s.event("ObjectRemoved:DeleteMarkerCreated", second));
    const secondUndeleted = undelete(s, second);

    // Act / Assert
    await s.take(firstUndeleted);
    expect(s.item(version)).toMatchObject({ Status: "deleted" });
    await s.take(secondUndeleted);
    expect(s.item(version)).toMatchObject({ Status: "processed" });
    expect(s.store.items.size).toBe(1);
  });

  it("a version current again because the newer one was deleted for good, after its own marker was removed: recorded again", async () => {
    // Arrange: v1 hidden by a marker (recorded deleted), v2 uploaded over the marker, the marker removed
    const s = scene();
    const { version: first, created, marker, markerCreated } = uploadedThenDeleted(s);
    for (const e of [created, markerCreated]) await s.take(e);
    const second = s.bucket.put(KEY, jpeg);
    await s.take(s.event("ObjectCreated:Put", second));
    const noncurrentMarker = await s.take(undelete(s, marker));
    expect(s.item(first)).toMatchObject({ Status: "deleted" }); // still hidden by v2

    // Act: v2 deleted for good
    s.bucket.deleteVersion(KEY, second);
    await s.take(s.event("ObjectRemoved:Delete", second));

    // Assert
    expect(noncurrentMarker.kind === "records" && noncurrentMarker.removals[0]).toMatchObject({ marked: "unrecorded" });
    expect(s.item(second)).toMatchObject({ Status: "deleted" });
    expect(s.item(first)).toMatchObject({ Status: "processed" });
  });

  it("a version deleted for good that was recorded is marked, and the key's renditions are brought in line", async () => {
    const s = scene();
    const first = s.bucket.put(KEY, jpeg);
    await s.take(s.event("ObjectCreated:Put", first));
    const second = s.bucket.put(KEY, jpeg);
    await s.take(s.event("ObjectCreated:Put", second));
    s.queue.requests.length = 0;

    s.bucket.deleteVersion(KEY, second);
    await s.take(s.event("ObjectRemoved:Delete", second));

    expect(s.item(second)).toMatchObject({ Status: "deleted" });
    expect(s.item(first)).toMatchObject({ Status: "processed" });
    expect(s.queue.requests).toEqual([expect.objectContaining({ action: "delete", imageId: imageId(BUCKET, KEY, second) })]);
  });
});
