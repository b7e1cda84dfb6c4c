import { buildItem, PROCESSOR_VERSION } from "../../../../functions/image-processor/core/outcome";
import { imageId } from "../../../../functions/shared/image-id";
import type { ObjectRef } from "../../../../functions/image-processor/core/object-ref";

const ref: ObjectRef = {
  bucket: "image-storage-bucket-dev-123456789012",
  key: "uploads/cat photo.jpg",
  versionId: "v1",
  sequencer: `${"0".repeat(30)}0A`,
  size: 990,
  eTag: "abc",
  eventName: "ObjectCreated:Put",
  eventTime: "2026-11-27T23:59:59.900Z",
};

describe("imageId", () => {
  it("is the sha256 of bucket, key and version: the same for a redelivery, different for another version", () => {
    expect(imageId("b", "k", "v1")).toMatch(/^[0-9a-f]{64}$/);
    expect(imageId("b", "k", "v1")).toBe(imageId("b", "k", "v1"));
    expect(imageId("b", "k", "v2")).not.toBe(imageId("b", "k", "v1"));
  });

  it("keeps ambiguous concatenations apart", () => {
    expect(imageId("a", "b/c", "v")).not.toBe(imageId("a/b", "c", "v"));
    expect(imageId("b", "k", undefined)).toBe(imageId("b", "k", "null"));
  });
});

describe("buildItem", () => {
  const now = new Date("2026-11-28T00:00:01.000Z");

  it("records a processed image with the upload time from the event, not from processing", () => {
    const item = buildItem(
      ref,
      { size: 990, contentType: "image/jpeg", eTag: '"abc"', versionId: "v1" },
      { status: "processed", format: "jpeg", width: 64, height: 48 },
      now,
    );

    expect(item).toEqual({
      ImageId: imageId(ref.bucket, ref.key, "v1"),
      BucketName: ref.bucket,
      ObjectKey: "uploads/cat photo.jpg",
      VersionId: "v1",
      Sequencer: ref.sequencer,
      FileSize: 990,
      ContentType: "image/jpeg",
      DetectedFormat: "jpeg",
      Width: 64,
      Height: 48,
      ETag: "abc",
      UploadTimestamp: Math.floor(Date.parse("2026-11-27T23:59:59.900Z") / 1000),
      UploadDate: "2026-11-27",
      ProcessedAt: "2026-11-28T00:00:01.000Z",
      ProcessorVersion: PROCESSOR_VERSION,
      Status: "processed",
    });
  });

  it("records a missing object with its reason and no undefined attributes", () => {
    const item = buildItem({ ...ref, versionId: undefined }, undefined, { status: "missing", reason: "gone" }, now);

    expect(item).toMatchObject({ Status: "missing", Reason: "gone", VersionId: "null", FileSize: 990, ETag: "abc" });
    expect(Object.values(item)).not.toContain(undefined);
    expect(item).not.toHaveProperty("Width");
  });
});
