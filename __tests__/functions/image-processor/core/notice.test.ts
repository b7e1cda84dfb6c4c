import { noticeForInvalidRecord, noticeForItem, shouldNotify } from "../../../../functions/image-processor/core/notice";
import type { MetadataItem } from "../../../../functions/image-processor/core/outcome";

const item: MetadataItem = {
  ImageId: "id",
  BucketName: "bucket",
  ObjectKey: "写真/holiday.jpg",
  VersionId: "v1",
  Sequencer: "0A",
  FileSize: 10,
  UploadTimestamp: 1764238530,
  UploadDate: "2025-11-27",
  ProcessorVersion: "0.2.0",
  ProcessedAt: "2025-11-27T10:15:31.000Z",
  Status: "rejected",
  Reason: "not a JPEG or PNG by its bytes (looks like: gif)",
};

describe("shouldNotify", () => {
  it("notifies problems always and successes only when asked", () => {
    expect(shouldNotify("rejected", false)).toBe(true);
    expect(shouldNotify("missing", false)).toBe(true);
    expect(shouldNotify("processed", false)).toBe(false);
    expect(shouldNotify("processed", true)).toBe(true);
  });
});

describe("noticeForItem", () => {
  it("carries status and environment as attributes, and the details as JSON", () => {
    const notice = noticeForItem(item, "dev");

    expect(notice.attributes).toEqual({ status: "rejected", environment: "dev" });
    expect(JSON.parse(notice.message)).toMatchObject({ status: "rejected", key: "写真/holiday.jpg", reason: item.Reason });
  });

  it("keeps the subject within SNS's limits (ASCII, 100 characters)", () => {
    const notice = noticeForItem(item, "x".repeat(200));

    expect(notice.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
  });
});

describe("noticeForInvalidRecord", () => {
  it("names the problem", () => {
    const notice = noticeForInvalidRecord({ index: 0, fingerprint: "f", reason: "record has no s3.bucket.name", key: "k" }, "prod");

    expect(notice.attributes.status).toBe("invalid-event");
    expect(JSON.parse(notice.message)).toMatchObject({ reason: "record has no s3.bucket.name", key: "k" });
  });
});
