// Keys with spaces, `+`, `%` and non-ASCII characters, through both delivery modes. A notification's
// key is always form-encoded (the S3 User Guide, "Event message structure"); an EventBridge event's
// is shown plain, and AWS does not say it is never encoded: the processor reads it as given and,
// when that names nothing, form-decoded, and records the key S3 has either way.
import { imageId } from "../../../functions/shared/image-id";
import { processEvent } from "../../../functions/image-processor/process-event";
import { processQueueEvent } from "../../../functions/image-processor/process-queue-event";
import { encodeKey, eventBridgeS3Event, image, s3Event, sqsBatch } from "../../fixtures";
import { CONFIG, fakes } from "./fakes";
import { VersionedBucket } from "./versioned-bucket";

const jpeg = image("baseline-exif.jpg");
const BUCKET = "image-storage-bucket-dev-123456789012";
const KEYS = ["photos/a photo.jpg", "photos/Tom+Jerry.jpg", "photos/100% cat.jpg", "photos/café 猫.jpg", "photos/a+b 50%25 ü.jpg"];

const recorded = (store: ReturnType<typeof fakes>["store"]) =>
  [...store.items.values()].map((item) => [item.ObjectKey, item.Status]).sort();

describe("keys in both encodings", () => {
  it("notifications: every key, form-encoded as S3 sends it, is recorded as S3 has it", async () => {
    const { images, store, deps } = fakes();
    for (const key of KEYS) images.put(key, jpeg, "image/jpeg");

    await processEvent(s3Event(...KEYS.map((key) => ({ encodedKey: encodeKey(key), size: jpeg.length }))), deps, CONFIG);

    expect(recorded(store)).toEqual(KEYS.map((key) => [key, "processed"]).sort());
  });

  it.each([
    ["as it is", (key: string) => key],
    ["form-encoded", encodeKey],
  ])("EventBridge: every key sent %s is found and recorded as S3 has it", async (_, send) => {
    // Arrange
    const { images, store, deps } = fakes();
    for (const key of KEYS) images.put(key, jpeg, "image/jpeg");
    const batch = sqsBatch(...KEYS.map((key) => eventBridgeS3Event({ key: send(key), size: jpeg.length })));

    // Act
    const { summary, response } = await processQueueEvent(batch, deps, CONFIG);

    // Assert: one item per object, under its own key and id; the results name the events' refs
    expect(response.batchItemFailures).toEqual([]);
    expect(recorded(store)).toEqual(KEYS.map((key) => [key, "processed"]).sort());
    for (const key of KEYS) expect(store.items.has(imageId(BUCKET, key, "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e"))).toBe(true);
    expect(summary.results.map((result) => result.ref.key)).toEqual(KEYS.map(send));
  });

  it("EventBridge: a key that only looks encoded is read as given first, and a key found under neither reading is recorded missing as given", async () => {
    const { images, store, deps } = fakes();
    images.put("photos/a+b.jpg", jpeg, "image/jpeg").put("photos/a b.jpg", Buffer.from("other bytes"), "image/jpeg");

    await processQueueEvent(
      sqsBatch(
        eventBridgeS3Event({ key: "photos/a+b.jpg" }),
        eventBridgeS3Event({ key: "photos/gone+1.jpg", sequencer: "00617F08299329D18A" }),
      ),
      deps,
      CONFIG,
    );

    expect(recorded(store)).toEqual([
      ["photos/a+b.jpg", "processed"],
      ["photos/gone+1.jpg", "missing"],
    ]);
  });

  it("EventBridge: a deletion sent form-encoded marks the item of the key S3 has", async () => {
    // Arrange: recorded under its real key, then hidden by a delete marker
    const key = "photos/café 猫+1.jpg";
    const bucket = new VersionedBucket();
    const { store, deps: base } = fakes();
    const deps = { ...base, images: bucket };
    const version = bucket.put(key, jpeg);
    await processQueueEvent(sqsBatch(eventBridgeS3Event({ key, versionId: version, sequencer: "00617F08299329D189" })), deps, CONFIG);
    const marker = bucket.deleteMarker(key);

    // Act
    const deleted = eventBridgeS3Event({
      key: encodeKey(key),
      versionId: marker,
      sequencer: "00617F08299329D18A",
      detailType: "Object Deleted",
      deletionType: "Delete Marker Created",
    });
    const { summary } = await processQueueEvent(sqsBatch(deleted), deps, CONFIG);

    // Assert
    expect(summary.removals[0]).toMatchObject({ ok: true, objectKey: key, marked: "written" });
    expect([...store.items.values()].map((item) => [item.ObjectKey, item.Status])).toEqual([[key, "deleted"]]);
  });
});
