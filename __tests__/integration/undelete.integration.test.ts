// S3's "undelete": removing a delete marker makes the version it hid current again. End to end
// against moto, with the events S3 sends (built from the real responses), in the orders they can
// arrive: the processor, the derivatives function and the table as a user's pipeline has them.
import { DeleteObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { jpegWithGps } from "../functions/image-derivatives/sources";
import { type DerivativesPipeline, startDerivativesPipeline } from "./derivatives-harness";
import { removalEventFor, scanTable, upload } from "./harness";

describe("undelete: a version current again is recorded again", () => {
  let p: DerivativesPipeline;

  beforeAll(async () => {
    p = await startDerivativesPipeline();
  });
  afterAll(() => p?.h.close());

  const itemsOf = async (key: string) => (await scanTable(p.h)).filter((item) => item.ObjectKey === key);
  const renditionSource = async (key: string) => (await p.d.read(`large/${key}.webp`)).metadata?.["source-version-id"] ?? "none";

  /** A rendered photo with a position, and its delete marker: the marker's event built before anything else happens. */
  async function uploadedThenDeleted(key: string) {
    const uploaded = await upload(p.h, key, await jpegWithGps());
    await p.processor(uploaded.event);
    await p.d.pump(p.derivatives);
    const marker = await p.h.s3.send(new DeleteObjectCommand({ Bucket: p.h.bucket, Key: key }));
    const markerEvent = removalEventFor(p.h, key, "ObjectRemoved:DeleteMarkerCreated", marker.VersionId!);
    return { uploaded, markerId: marker.VersionId!, markerEvent };
  }

  /** Deletes the marker version itself (S3's undelete) and returns S3's event for it. */
  async function undelete(key: string, markerId: string) {
    await p.h.s3.send(new DeleteObjectCommand({ Bucket: p.h.bucket, Key: key, VersionId: markerId }));
    return removalEventFor(p.h, key, "ObjectRemoved:Delete", markerId);
  }

  it("upload, delete, undelete, then the marker's event again: processed with its facts and renditions, no item for the marker", async () => {
    // Arrange: the deletion recorded (the item deleted, the renditions gone)
    const key = "photos/undeleted.jpg";
    const { uploaded, markerId, markerEvent } = await uploadedThenDeleted(key);
    await p.processor(markerEvent);
    await p.d.pump(p.derivatives);
    const head = p.h.s3.send(new HeadObjectCommand({ Bucket: p.d.bucket, Key: `large/${key}.webp` }));
    await expect(head).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });

    // Act: the undelete, then the marker's event replayed (a dead-letter replay, an async retry)
    await p.processor(await undelete(key, markerId));
    await p.d.pump(p.derivatives);
    await p.processor(markerEvent);
    const pumped = await p.d.pump(p.derivatives);

    // Assert: one item, the version's, processed again with what a deletion strips
    expect(pumped.failedMessages).toBe(0);
    const items = await itemsOf(key);
    expect(items.map((item) => item.VersionId)).toEqual([uploaded.versionId]);
    expect(items[0]).toMatchObject({ Status: "processed", HasGps: true, CameraMake: "TestCam", DerivativesStatus: "written" });
    expect(items[0]).not.toHaveProperty("DeletedAt");
    expect(await renditionSource(key)).toBe(uploaded.versionId);
  });

  it("a marker's event that arrives after the undelete marks nothing: the version stays processed with its renditions", async () => {
    // Arrange: upload, delete, undelete in S3 before the marker's event is taken
    const key = "photos/late marker.jpg";
    const { uploaded, markerId, markerEvent } = await uploadedThenDeleted(key);
    const undeleted = await undelete(key, markerId);

    // Act: the undelete's event first, then the late marker's
    await p.processor(undeleted);
    await p.processor(markerEvent);
    const pumped = await p.d.pump(p.derivatives);

    // Assert
    expect(pumped.failedMessages).toBe(0);
    const items = await itemsOf(key);
    expect(items.map((item) => [item.VersionId, item.Status])).toEqual([[uploaded.versionId, "processed"]]);
    expect(items[0]).toMatchObject({ HasGps: true, CameraMake: "TestCam", DerivativesStatus: "written" });
    expect(await renditionSource(key)).toBe(uploaded.versionId);
  });
});
