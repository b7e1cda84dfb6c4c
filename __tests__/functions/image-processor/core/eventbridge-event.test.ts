import { parseEventBridgeS3Event } from "../../../../functions/image-processor/core/eventbridge-event";
import { eventBridgeS3Event } from "../../../fixtures";

describe("parseEventBridgeS3Event", () => {
  it("reads an Object Created event: the key as it is (not URL-decoded), version id, padded sequencer, size, etag and time", () => {
    const event = eventBridgeS3Event({ key: "cats/Tom+Jerry 100%.JPG", size: 2048, sequencer: "00617F08299329D189" });

    const ref = parseEventBridgeS3Event(JSON.stringify(event), 0);

    expect(ref).toEqual({
      bucket: "image-storage-bucket-dev-123456789012",
      key: "cats/Tom+Jerry 100%.JPG",
      versionId: "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
      sequencer: "00617F08299329D18900000000000000",
      size: 2048,
      eTag: "b1946ac92492d2347c6235b4d2611184",
      eventName: "ObjectCreated:Put",
      eventTime: "2026-11-27T10:15:30.000Z",
      keyMayBeEncoded: true,
    });
  });

  it("names a copy and a multipart upload as the notification's event names, and deletions by their deletion type", () => {
    const name = (spec: Parameters<typeof eventBridgeS3Event>[0]) =>
      (parseEventBridgeS3Event(eventBridgeS3Event(spec), 0) as { eventName: string }).eventName;

    expect(name({ key: "a.jpg", reason: "CopyObject" })).toBe("ObjectCreated:Copy");
    expect(name({ key: "a.jpg", reason: "CompleteMultipartUpload" })).toBe("ObjectCreated:CompleteMultipartUpload");
    expect(name({ key: "a.jpg", detailType: "Object Deleted", deletionType: "Delete Marker Created" })).toBe(
      "ObjectRemoved:DeleteMarkerCreated",
    );
    expect(name({ key: "a.jpg", detailType: "Object Deleted", deletionType: "Permanently Deleted" })).toBe("ObjectRemoved:Delete");
  });

  it("names a lifecycle expiration (reason Lifecycle Expiration) as the notification's LifecycleExpiration events", () => {
    const name = (deletionType: "Permanently Deleted" | "Delete Marker Created") =>
      (
        parseEventBridgeS3Event(
          eventBridgeS3Event({ key: "a.jpg", detailType: "Object Deleted", deletionType, reason: "Lifecycle Expiration" }),
          0,
        ) as {
          eventName: string;
        }
      ).eventName;

    expect(name("Permanently Deleted")).toBe("LifecycleExpiration:Delete");
    expect(name("Delete Marker Created")).toBe("LifecycleExpiration:DeleteMarkerCreated");
  });

  it.each([
    ["not JSON", "{not json", "not an EventBridge event"],
    ["another source", { ...eventBridgeS3Event({ key: "a.jpg" }), source: "aws.ec2" }, 'not an S3 event (source: "aws.ec2")'],
    ["another detail type", { ...eventBridgeS3Event({ key: "a.jpg" }), "detail-type": "Object Tags Added" }, "not an Object Created"],
    ["no key", eventBridgeS3Event({ key: "" }), "no detail.object.key"],
    ["a bad sequencer", eventBridgeS3Event({ key: "a.jpg", sequencer: "xyz" }), "sequencer is missing or not hexadecimal"],
    ["a bad time", eventBridgeS3Event({ key: "a.jpg", time: "yesterday" }), "time is missing or not a date"],
  ])("gives the reason for a message with %s", (_case, body, reason) => {
    const result = parseEventBridgeS3Event(typeof body === "string" ? body : JSON.stringify(body), 3);

    expect(result).toMatchObject({ index: 3, reason: expect.stringContaining(reason) });
  });

  it("fingerprints the event alone, so a redelivery in another place of another batch is the same record", () => {
    const body = JSON.stringify({ ...eventBridgeS3Event({ key: "a.jpg" }), source: "aws.ec2" });

    const first = parseEventBridgeS3Event(body, 0) as { fingerprint: string };
    const again = parseEventBridgeS3Event(body, 7) as { fingerprint: string };

    expect(again.fingerprint).toBe(first.fingerprint);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});
