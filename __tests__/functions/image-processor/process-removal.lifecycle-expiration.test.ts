// The bucket's lifecycle expiring versions, in both delivery modes, with the events as the S3 User
// Guide documents them: notifications name them `LifecycleExpiration:*`
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configure-notification.html);
// EventBridge sends Object Deleted with `reason: "Lifecycle Expiration"`
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html). The emulator runs no
// lifecycle (emulator-gaps.json, "s3:lifecycle expiration"), so these events are built here.
import { imageId } from "../../../functions/shared/image-id";
import { processEvent } from "../../../functions/image-processor/process-event";
import { processQueueEvent } from "../../../functions/image-processor/process-queue-event";
import { encodeKey, eventBridgeS3Event, image, s3Event, sqsBatch } from "../../fixtures";
import { CONFIG, fakesWithDerivatives } from "./fakes";
import { VersionedBucket } from "./versioned-bucket";

const BUCKET = "image-storage-bucket-dev-123456789012";
const KEY = "photos/expired.jpg";
const PERSONAL = ["GpsLatitude", "GpsLongitude", "HasGps", "TakenAt", "CameraMake", "CameraModel"];

type Mode = "notification" | "eventbridge";
type Deletion = "Permanently Deleted" | "Delete Marker Created";

/** A pipeline in one delivery mode; `expire` sends what S3 sends when the lifecycle deletes `versionId`. */
function pipeline(mode: Mode) {
  const bucket = new VersionedBucket();
  const { store, queue, deps: base } = fakesWithDerivatives();
  const deps = { ...base, images: bucket };
  let sequencer = 0x1000;
  const next = () => `00617F${(sequencer++).toString(16).toUpperCase()}`;
  const upload = async (bytes: Uint8Array) => {
    const versionId = bucket.put(KEY, bytes);
    await processEvent(s3Event({ encodedKey: encodeKey(KEY), versionId, sequencer: next(), size: bytes.length }), deps, CONFIG);
    return versionId;
  };
  const expire = async (deletion: Deletion, versionId: string) => {
    if (mode === "notification") {
      const eventName = deletion === "Permanently Deleted" ? "LifecycleExpiration:Delete" : "LifecycleExpiration:DeleteMarkerCreated";
      return processEvent(s3Event({ encodedKey: encodeKey(KEY), versionId, sequencer: next(), eventName }), deps, CONFIG);
    }
    const event = eventBridgeS3Event({
      key: KEY,
      versionId,
      sequencer: next(),
      detailType: "Object Deleted",
      deletionType: deletion,
      reason: "Lifecycle Expiration",
    });
    return (await processQueueEvent(sqsBatch(event), deps, CONFIG)).summary;
  };
  const item = (versionId: string) => store.items.get(imageId(BUCKET, KEY, versionId));
  return { bucket, store, queue, upload, expire, item };
}

describe.each<Mode>(["notification", "eventbridge"])("lifecycle expirations (%s delivery)", (mode) => {
  it("marks an expired noncurrent version deleted without its personal facts, and asks for no re-render of the current image", async () => {
    // Arrange: two versions; the first noncurrent, with camera facts recorded
    const p = pipeline(mode);
    const old = await p.upload(image("baseline-exif.jpg"));
    const current = await p.upload(image("baseline-exif.jpg"));
    const currentBefore = p.item(current);
    expect(PERSONAL.some((name) => name in p.item(old)!)).toBe(true);
    p.queue.requests.length = 0;

    // Act: the lifecycle deletes the noncurrent version for good
    p.bucket.deleteVersion(KEY, old);
    const summary = await p.expire("Permanently Deleted", old);

    // Assert
    expect(summary.kind === "records" && summary.removals[0]).toMatchObject({ ok: true, marked: "written", renditionsRequested: false });
    expect(p.item(old)).toMatchObject({ Status: "deleted", DeletedAt: expect.any(String) });
    expect(PERSONAL.filter((name) => name in p.item(old)!)).toEqual([]);
    expect(p.item(current)).toEqual(currentBefore);
    expect(p.queue.requests).toEqual([]);
  });

  it("marks the expired current version deleted when the lifecycle leaves a delete marker, and deletes the key's renditions", async () => {
    const p = pipeline(mode);
    const current = await p.upload(image("baseline-exif.jpg"));
    p.queue.requests.length = 0;

    const marker = p.bucket.deleteMarker(KEY);
    await p.expire("Delete Marker Created", marker);

    expect(p.item(current)).toMatchObject({ Status: "deleted" });
    expect(p.queue.requests).toEqual([expect.objectContaining({ action: "delete", imageId: imageId(BUCKET, KEY, current) })]);
  });

  it("writes nothing when the lifecycle removes an expired delete marker", async () => {
    const p = pipeline(mode);
    const version = await p.upload(image("baseline-exif.jpg"));
    const marker = p.bucket.deleteMarker(KEY);
    p.bucket.deleteVersion(KEY, version);
    const before = new Map(p.store.items);
    p.queue.requests.length = 0;

    p.bucket.deleteVersion(KEY, marker);
    const summary = await p.expire("Permanently Deleted", marker);

    expect(summary.kind === "records" && summary.removals[0]).toMatchObject({ ok: true, marked: "unrecorded" });
    expect(p.store.items).toEqual(before);
    expect(p.queue.requests).toEqual([expect.objectContaining({ action: "delete" })]); // no current version: nothing to keep
  });
});

describe("lifecycle expirations: both delivery modes record the same", () => {
  it("leaves the same table and requests after the same uploads and expirations", async () => {
    const run = async (mode: Mode) => {
      const p = pipeline(mode);
      const first = await p.upload(image("baseline-exif.jpg"));
      await p.upload(image("baseline-exif.jpg"));
      p.bucket.deleteVersion(KEY, first);
      await p.expire("Permanently Deleted", first);
      const marker = p.bucket.deleteMarker(KEY);
      await p.expire("Delete Marker Created", marker);
      return { items: [...p.store.items.values()], requests: p.queue.requests };
    };

    expect(await run("eventbridge")).toEqual(await run("notification"));
  });
});
