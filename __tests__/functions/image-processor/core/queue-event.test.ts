import { batchItemFailures, isQueueEvent, parseQueueEvent } from "../../../../functions/image-processor/core/queue-event";
import { eventBridgeS3Event, s3Event, sqsBatch } from "../../../fixtures";

describe("queue events", () => {
  it("tells an SQS batch from an S3 notification", () => {
    expect(isQueueEvent(sqsBatch(eventBridgeS3Event({ key: "a.jpg" })))).toBe(true);
    expect(isQueueEvent(s3Event({ encodedKey: "a.jpg" }))).toBe(false);
    expect(isQueueEvent({ Records: [] })).toBe(false);
  });

  it("pairs each message with what its body announces", () => {
    const batch = sqsBatch(eventBridgeS3Event({ key: "a.jpg" }), "not json");

    const parsed = parseQueueEvent(batch);

    expect(parsed.map((m) => [m.messageId, "reason" in m.parsed ? "invalid" : m.parsed.key])).toEqual([
      ["message-0", "a.jpg"],
      ["message-1", "invalid"],
    ]);
  });

  it("answers a partial batch response naming each failed message once", () => {
    expect(batchItemFailures(["m-2", "m-5", "m-2"])).toEqual({ batchItemFailures: [{ itemIdentifier: "m-2" }, { itemIdentifier: "m-5" }] });
  });
});
