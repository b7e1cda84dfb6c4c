import { legacyImageId } from "../../../functions/image-processor/core/legacy-item";
import { UnreadableObjectError } from "../../../functions/image-processor/ports";
import { processEvent } from "../../../functions/image-processor/process-event";
import { encodeKey, image, s3Event } from "../../fixtures";
import { CONFIG, fakes } from "./fakes";

const record = (key: string, size: number, extra: { sequencer?: string; versionId?: string } = {}) => ({
  encodedKey: encodeKey(key),
  size,
  ...extra,
});

describe("processEvent", () => {
  it("records a real JPEG as processed from one GET of one window, which also answers the head, and notifies nobody", async () => {
    const { images, store, notifier, deps } = fakes();
    const bytes = image("baseline-exif.jpg");
    images.put("cats/tom.jpg", bytes, "image/jpeg");

    const summary = await processEvent(s3Event(record("cats/tom.jpg", 1)), deps, CONFIG);

    expect(summary.kind === "records" && summary.results[0]).toMatchObject({
      ok: true,
      saved: "written",
      bytesRead: bytes.length,
      gets: 1,
    });
    // Size, type and ETag as S3 answered the GET (the event's size here says 1 byte).
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({
        ObjectKey: "cats/tom.jpg",
        Status: "processed",
        DetectedFormat: "jpeg",
        Width: 64,
        Height: 48,
        FileSize: bytes.length,
        ContentType: "image/jpeg",
        ETag: "etag",
      }),
    ]);
    expect(images.reads).toEqual([{ key: "cats/tom.jpg", start: 0, length: CONFIG.budget.windowBytes }]);
    expect(notifier.notices).toEqual([]);
  });

  it("inspects keys with an image suffix in any letter case, and skips other keys without reading or recording them", async () => {
    const { images, store, notifier, deps } = fakes();
    const bytes = image("baseline-exif.jpg");
    images
      .put("cats/Tom.Jpg", bytes, "image/jpeg")
      .put("cats/TOM.JPEG", bytes, "image/jpeg")
      .put("notes.txt", bytes)
      .put("cats/", Buffer.alloc(0));

    const summary = await processEvent(
      s3Event(
        record("cats/Tom.Jpg", bytes.length),
        record("cats/TOM.JPEG", bytes.length),
        record("notes.txt", bytes.length),
        record("cats/", 0),
      ),
      deps,
      CONFIG,
    );

    expect(summary.kind === "records" && summary.skipped.map((ref) => ref.key)).toEqual(["notes.txt", "cats/"]);
    expect([...store.items.values()].map((item) => [item.ObjectKey, item.Status]).sort()).toEqual([
      ["cats/TOM.JPEG", "processed"],
      ["cats/Tom.Jpg", "processed"],
    ]);
    expect(images.reads.map((r) => r.key).sort()).toEqual(["cats/TOM.JPEG", "cats/Tom.Jpg"]);
    expect(notifier.notices).toEqual([]);
  });

  it("lets a reprocess event replace an item of the same upload that another processor version wrote, and nothing else", async () => {
    const { images, store, deps } = fakes();
    images.put("r.jpg", image("baseline-exif.jpg"), "image/jpeg");
    const sequencer = "0055AED6DCD90281E5";
    await processEvent(s3Event(record("r.jpg", 990, { sequencer })), deps, CONFIG);
    const [id] = [...store.items.keys()];
    store.items.set(id, { ...store.items.get(id)!, ProcessorVersion: "0.1.0", Width: 1 });
    const as = (eventName: string, seq: string) => s3Event({ ...record("r.jpg", 990, { sequencer: seq }), eventName });

    const backfill = await processEvent(as("ObjectCreated:Backfill", "0"), deps, CONFIG);
    const redelivered = await processEvent(as("ObjectCreated:Put", sequencer), deps, CONFIG);
    const reprocess = await processEvent(as("ObjectCreated:Reprocess", sequencer), deps, CONFIG);
    const again = await processEvent(as("ObjectCreated:Reprocess", sequencer), deps, CONFIG);

    const saved = (summary: any) => summary.results[0].saved;
    expect([backfill, redelivered, reprocess, again].map(saved)).toEqual(["stale", "duplicate", "written", "duplicate"]);
    expect(store.items.get(id)).toMatchObject({ Width: 64, ProcessorVersion: expect.not.stringMatching(/^0\.1\.0$/) });
  });

  it("rewrites in place, under its old id, the item the original CloudFormation design's function wrote for the key, on an adopt event only", async () => {
    const { images, store, deps } = fakes();
    images.put("old/cat one.jpg", image("baseline-exif.jpg"), "image/jpeg");
    const legacyId = legacyImageId("image-storage-bucket-dev-123456789012", "old/cat one.jpg");
    const legacy = {
      ImageId: legacyId,
      ObjectKey: "old/cat one.jpg",
      UploadTimestamp: 1764000000,
      UploadDate: "2025-11-24T16:00:00.123456",
      Status: "processed",
    };
    store.items.set(legacyId, legacy as any);
    const as = (eventName: string, sequencer: string) =>
      s3Event({ ...record("old/cat one.jpg", 990, { sequencer, versionId: "v1" }), eventName });

    await processEvent(as("ObjectCreated:Reprocess", "0"), deps, CONFIG);
    const untouched = store.items.get(legacyId);
    const adopt = await processEvent(as("ObjectCreated:Adopt", "0"), deps, CONFIG);
    const again = await processEvent(as("ObjectCreated:Adopt", "0"), deps, CONFIG);

    expect(untouched).toEqual(legacy);
    const saved = (summary: any) => summary.results[0].saved;
    expect([adopt, again].map(saved)).toEqual(["written", "duplicate"]);
    expect(store.items.get(legacyId)).toMatchObject({
      ImageId: legacyId,
      VersionId: "v1",
      Status: "processed",
      Width: 64,
      UploadDate: "2026-11-27",
      ProcessorVersion: expect.any(String),
    });
    // The reprocess event recorded the version under its own id; the adopt event wrote no second item.
    expect([...store.items.keys()].filter((id) => id !== legacyId)).toHaveLength(1);
  });

  it("records an adopted key deleted before the move as missing, in place, without a notice", async () => {
    const { store, notifier, deps } = fakes();
    const legacyId = legacyImageId("image-storage-bucket-dev-123456789012", "old/gone.jpg");
    store.items.set(legacyId, {
      ImageId: legacyId,
      ObjectKey: "old/gone.jpg",
      UploadTimestamp: 1764000000,
      UploadDate: "2025-11-24T16:00:00.123456",
      Status: "processed",
    } as any);

    await processEvent(
      s3Event({ ...record("old/gone.jpg", 990), eventName: "ObjectCreated:Adopt", eventTime: "2025-11-24T16:00:00.000Z" }),
      deps,
      CONFIG,
    );

    expect(store.items.get(legacyId)).toMatchObject({ Status: "missing", UploadDate: "2025-11-24", ProcessorVersion: expect.any(String) });
    expect(notifier.notices).toEqual([]);
  });

  it("notifies successes when configured to", async () => {
    const { images, notifier, deps } = fakes();
    images.put("a.png", image("plain.png"), "image/png");

    await processEvent(s3Event(record("a.png", 108)), deps, { ...CONFIG, notifyOnSuccess: true });

    expect(notifier.notices.map((n) => n.attributes.status)).toEqual(["processed"]);
  });

  it("follows the segments to frame headers past 64 KiB and past 128 KiB, reading ahead in growing spans after the first window", async () => {
    const { images, store, deps } = fakes();
    const late = image("late-sof.jpg");
    const veryLate = image("very-late-sof.jpg");
    images.put("late.jpg", late).put("very-late.jpg", veryLate);

    await processEvent(s3Event(record("late.jpg", late.length), record("very-late.jpg", veryLate.length)), deps, CONFIG);

    const byKey = Object.fromEntries([...store.items.values()].map((item) => [item.ObjectKey, item]));
    expect(byKey["late.jpg"]).toMatchObject({ Status: "processed", Width: 20, Height: 10 });
    // Defect 3: the frame header at 205030 used to be rejected as "no jpeg dimensions in the first 131072 bytes".
    expect(byKey["very-late.jpg"]).toMatchObject({ Status: "processed", DetectedFormat: "jpeg" });
    const reads = images.reads.filter((r) => r.key === "very-late.jpg");
    expect(reads[0]).toEqual({ key: "very-late.jpg", start: 0, length: 65536 });
    // Then from the next segment's header, four times the window or to the end of the file.
    expect(reads.slice(1).map((r) => r.length)).toEqual(reads.slice(1).map((r) => Math.min(4 * 65536, veryLate.length - r.start)));
    expect(reads.length).toBeLessThanOrEqual(4);
  });

  it("rejects by the bytes, whatever the name or declared type, and notifies with the reason", async () => {
    const { images, store, notifier, deps } = fakes();
    images
      .put("text.jpg", image("text-named.jpg"), "image/jpeg")
      .put("liar.png", image("progressive.jpg"), "image/png")
      .put("empty.png", image("empty.png"));

    await processEvent(s3Event(record("text.jpg", 184), record("liar.png", 667), record("empty.png", 0)), deps, CONFIG);

    const reasons = Object.fromEntries([...store.items.values()].map((item) => [item.ObjectKey, [item.Status, item.Reason]]));
    expect(reasons).toEqual({
      "text.jpg": ["rejected", "not an accepted image format by its bytes (accepted: JPEG, PNG; looks like: unknown format)"],
      "liar.png": ["rejected", 'declared content type "image/png" contradicts the detected format jpeg'],
      "empty.png": ["rejected", "empty object (0 bytes)"],
    });
    expect(notifier.notices.map((n) => n.attributes)).toEqual(Array(3).fill({ status: "rejected", environment: "test" }));
    // The empty object's one GET, which answered its head (S3: a 416, then a HeadObject; see the adapter).
    expect(images.reads.filter((r) => r.key === "empty.png")).toEqual([{ key: "empty.png", start: 0, length: 65536 }]);
  });

  it("records an object deleted before processing as missing, from its one GET, with the event's size", async () => {
    const { images, store, notifier, deps } = fakes();

    const summary = await processEvent(s3Event(record("gone.jpg", 10)), deps, CONFIG);

    expect(summary.kind === "records" && summary.results[0]).toMatchObject({ ok: true, gets: 1, bytesRead: 0 });
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({ Status: "missing", Reason: "the object version no longer exists", FileSize: 10 }),
    ]);
    expect(images.reads).toHaveLength(1);
    expect(notifier.notices).toHaveLength(1);
  });

  it("records an object deleted between its first GET and a later one as missing, with the size S3 answered", async () => {
    const { images, store, deps } = fakes();
    const late = image("late-sof.jpg");
    images.put("late.jpg", late, "image/jpeg");
    const read = images.read.bind(images);
    images.read = async (ref, start, length) => (start === 0 ? read(ref, start, length) : undefined);

    const summary = await processEvent(s3Event(record("late.jpg", 10)), deps, CONFIG);

    expect(summary.kind === "records" && summary.results[0]).toMatchObject({ ok: true, gets: 2, bytesRead: 65536 });
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({
        Status: "missing",
        Reason: "the object version was deleted before it was processed",
        FileSize: late.length,
        ContentType: "image/jpeg",
      }),
    ]);
  });

  it("does nothing twice for a redelivered event: one item, one notification", async () => {
    const { images, store, notifier, deps } = fakes();
    images.put("bad.jpg", image("text-named.jpg"));
    const event = s3Event(record("bad.jpg", 184));

    await processEvent(event, deps, CONFIG);
    const again = await processEvent(event, deps, CONFIG);

    expect(again.kind === "records" && again.results[0]).toMatchObject({ ok: true, saved: "duplicate", notified: false });
    expect(store.items.size).toBe(1);
    expect(notifier.notices).toHaveLength(1);
  });

  it("never lets an older event overwrite a newer one for the same object", async () => {
    const { images, store, deps } = fakes();
    images.put("a.png", image("plain.png"), "image/png");
    const newer = s3Event({ ...record("a.png", 108, { sequencer: "0B", versionId: "null" }), eventTime: "2026-11-27T10:00:02Z" });
    const older = s3Event({ ...record("a.png", 108, { sequencer: "0A", versionId: "null" }), eventTime: "2026-11-27T10:00:01Z" });

    await processEvent(newer, deps, CONFIG);
    const result = await processEvent(older, deps, CONFIG);

    expect(result.kind === "records" && result.results[0]).toMatchObject({ saved: "stale" });
    expect([...store.items.values()].map((item) => item.Sequencer)).toEqual([`0B${"0".repeat(30)}`]);
  });

  it("publishes a notification left pending by a failed attempt when the event is retried", async () => {
    const { images, notifier, deps } = fakes();
    images.put("bad.jpg", image("text-named.jpg"));
    notifier.failures = 1;
    const event = s3Event(record("bad.jpg", 184));

    const first = await processEvent(event, deps, CONFIG);
    const retry = await processEvent(event, deps, CONFIG);

    expect(first.kind === "records" && first.results[0].ok).toBe(false);
    expect(retry.kind === "records" && retry.results[0]).toMatchObject({ ok: true, saved: "duplicate", notified: true });
    expect(notifier.notices).toHaveLength(1);
  });

  it("records the other records when one fails, and reports the failure", async () => {
    const { images, store, deps } = fakes();
    images.put("a.png", image("plain.png"), "image/png").put("b.png", image("interlaced.png"), "image/png");
    images.failNext = Object.assign(new Error("Slow Down"), { name: "SlowDown", $metadata: { httpStatusCode: 503 } });

    const summary = await processEvent(s3Event(record("a.png", 108), record("b.png", 746)), deps, { ...CONFIG, concurrency: 1 });

    expect(summary.kind === "records" && summary.results.map((r) => [r.ok, r.gets])).toEqual([
      [false, 1],
      [true, 1],
    ]);
    expect([...store.items.values()].map((item) => item.ObjectKey)).toEqual(["b.png"]);
  });

  it("records an unreadable record with its reason and notifies it once, however often the event is retried", async () => {
    const { store, notifier, deps } = fakes();
    const event = { Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key: "x%ZZ.jpg" } } }] };
    notifier.failures = 1;

    const first = await processEvent(event, deps, CONFIG);
    const retry = await processEvent(event, deps, CONFIG);
    const again = await processEvent(event, deps, CONFIG);

    expect(first.kind === "records" && first.invalid.map((r) => r.ok)).toEqual([false]);
    expect(retry.kind === "records" && retry.invalid.map((r) => r.ok)).toEqual([true]);
    expect(again.kind === "records" && again.invalid.map((r) => r.ok)).toEqual([true]);
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({ Status: "rejected", Reason: "event record 0 could not be read: s3.object.key is not valid URL encoding" }),
    ]);
    expect(notifier.notices.map((n) => n.attributes.status)).toEqual(["invalid-event"]);
  });

  it("publishes a pending notice from the item as recorded, not from the retry's own decision", async () => {
    const { images, notifier, deps } = fakes();
    images.put("photo.jpg", image("baseline-exif.jpg"), "image/png");
    notifier.failures = 1;
    const event = s3Event(record("photo.jpg", image("baseline-exif.jpg").length));

    await processEvent(event, deps, CONFIG);
    // Between the attempts the object's declared type changed; the recorded decision stands.
    images.put("photo.jpg", image("baseline-exif.jpg"), "image/jpeg");
    await processEvent(event, deps, CONFIG);

    expect(notifier.notices).toHaveLength(1);
    expect(JSON.parse(notifier.notices[0].message)).toMatchObject({
      status: "rejected",
      reason: 'declared content type "image/png" contradicts the detected format jpeg',
    });
  });

  it("records an object S3 will not let it read as unreadable, with S3's code, without a retry", async () => {
    const { images, store, notifier, deps } = fakes();
    images.put("cold.jpg", image("baseline-exif.jpg"));
    images.failNext = new UnreadableObjectError("InvalidObjectState", "The operation is not valid for the object's storage class");

    const summary = await processEvent(s3Event(record("cold.jpg", 100)), deps, CONFIG);

    // The GET S3 refused is counted: every GET is.
    expect(summary.kind === "records" && summary.results.map((r) => [r.ok, r.gets, r.bytesRead])).toEqual([[true, 1, 0]]);
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({
        Status: "unreadable",
        Reason: "S3 refuses to read the object: InvalidObjectState (The operation is not valid for the object's storage class)",
      }),
    ]);
    expect(notifier.notices.map((n) => n.attributes.status)).toEqual(["unreadable"]);
  });

  it("ignores S3's test event", async () => {
    const { deps, notifier } = fakes();

    expect(await processEvent({ Event: "s3:TestEvent" }, deps, CONFIG)).toMatchObject({ kind: "ignored" });
    expect(notifier.notices).toEqual([]);
  });
});
