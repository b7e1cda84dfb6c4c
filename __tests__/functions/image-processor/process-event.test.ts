import { processEvent } from "../../../functions/image-processor/process-event";
import { encodeKey, image, s3Event } from "../../fixtures";
import { CONFIG, fakes } from "./fakes";

const record = (key: string, size: number, extra: { sequencer?: string; versionId?: string } = {}) => ({
  encodedKey: encodeKey(key),
  size,
  ...extra,
});

describe("processEvent", () => {
  it("records a real JPEG as processed, reading one window, and notifies nobody", async () => {
    const { images, store, notifier, deps } = fakes();
    const bytes = image("baseline-exif.jpg");
    images.put("cats/tom.jpg", bytes, "image/jpeg");

    const summary = await processEvent(s3Event(record("cats/tom.jpg", bytes.length)), deps, CONFIG);

    expect(summary.kind === "records" && summary.results[0]).toMatchObject({ ok: true, saved: "written", bytesRead: bytes.length });
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({ ObjectKey: "cats/tom.jpg", Status: "processed", DetectedFormat: "jpeg", Width: 64, Height: 48 }),
    ]);
    expect(images.reads).toEqual([{ key: "cats/tom.jpg", start: 0, length: bytes.length }]);
    expect(notifier.notices).toEqual([]);
  });

  it("notifies successes when configured to", async () => {
    const { images, notifier, deps } = fakes();
    images.put("a.png", image("plain.png"), "image/png");

    await processEvent(s3Event(record("a.png", 108)), deps, { ...CONFIG, notifyOnSuccess: true });

    expect(notifier.notices.map((n) => n.attributes.status)).toEqual(["processed"]);
  });

  it("reads a second window, and only one, when the size marker lies past the first", async () => {
    const { images, store, deps } = fakes();
    const late = image("late-sof.jpg");
    const veryLate = image("very-late-sof.jpg");
    images.put("late.jpg", late).put("very-late.jpg", veryLate);

    await processEvent(s3Event(record("late.jpg", late.length), record("very-late.jpg", veryLate.length)), deps, CONFIG);

    const byKey = Object.fromEntries([...store.items.values()].map((item) => [item.ObjectKey, item]));
    expect(byKey["late.jpg"]).toMatchObject({ Status: "processed", Width: 20, Height: 10 });
    expect(byKey["very-late.jpg"]).toMatchObject({
      Status: "rejected",
      Reason: "no jpeg dimensions in the first 131072 bytes (the read limit)",
    });
    expect(images.reads.filter((r) => r.key === "very-late.jpg")).toEqual([
      { key: "very-late.jpg", start: 0, length: 65536 },
      { key: "very-late.jpg", start: 65536, length: 65536 },
    ]);
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
      "text.jpg": ["rejected", "not a JPEG or PNG by its bytes (looks like: unknown format)"],
      "liar.png": ["rejected", 'declared content type "image/png" contradicts the detected format jpeg'],
      "empty.png": ["rejected", "empty object (0 bytes)"],
    });
    expect(notifier.notices.map((n) => n.attributes)).toEqual(
      Array(3).fill({ status: "rejected", environment: "test" }),
    );
    expect(images.reads.some((r) => r.key === "empty.png")).toBe(false);
  });

  it("records an object deleted before processing as missing", async () => {
    const { store, notifier, deps } = fakes();

    await processEvent(s3Event(record("gone.jpg", 10)), deps, CONFIG);

    expect([...store.items.values()]).toEqual([expect.objectContaining({ Status: "missing", FileSize: 10 })]);
    expect(notifier.notices).toHaveLength(1);
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
    expect([...store.items.values()].map((item) => item.Sequencer)).toEqual(["0".repeat(30) + "0B"]);
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

    expect(summary.kind === "records" && summary.results.map((r) => r.ok)).toEqual([false, true]);
    expect([...store.items.values()].map((item) => item.ObjectKey)).toEqual(["b.png"]);
  });

  it("reports unreadable records without storing them", async () => {
    const { store, notifier, deps } = fakes();
    const event = { Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "b" }, object: { key: "x%ZZ.jpg" } } }] };

    const summary = await processEvent(event, deps, CONFIG);

    expect(summary.kind === "records" && summary.invalid).toHaveLength(1);
    expect(store.items.size).toBe(0);
    expect(notifier.notices.map((n) => n.attributes.status)).toEqual(["invalid-event"]);
  });

  it("ignores S3's test event", async () => {
    const { deps, notifier } = fakes();

    expect(await processEvent({ Event: "s3:TestEvent" }, deps, CONFIG)).toMatchObject({ kind: "ignored" });
    expect(notifier.notices).toEqual([]);
  });
});
