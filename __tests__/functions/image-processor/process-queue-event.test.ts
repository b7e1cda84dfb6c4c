import { processQueueEvent } from "../../../functions/image-processor/process-queue-event";
import { eventBridgeS3Event, image, sqsBatch } from "../../fixtures";
import { CONFIG, fakes } from "./fakes";

describe("processQueueEvent (EventBridge delivery)", () => {
  it("records each message's image as a notification's would be, and reports only the failed message", async () => {
    // Arrange: two images and a message the processor fails on (a DynamoDB fault on its save).
    const { images, store, deps } = fakes();
    const bytes = image("baseline-exif.jpg");
    images.put("cats/Tom.JPG", bytes, "image/jpeg").put("dogs/rex.jpg", bytes, "image/jpeg").put("birds/tweety.jpg", bytes, "image/jpeg");
    const save = store.save.bind(store);
    store.save = async (item, notify, options) => {
      if (item.ObjectKey === "dogs/rex.jpg")
        throw Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" });
      return save(item, notify, options);
    };
    const batch = sqsBatch(
      eventBridgeS3Event({ key: "cats/Tom.JPG", size: bytes.length }),
      eventBridgeS3Event({ key: "dogs/rex.jpg", size: bytes.length }),
      eventBridgeS3Event({ key: "birds/tweety.jpg", size: bytes.length }),
    );

    // Act
    const { response, summary } = await processQueueEvent(batch, deps, CONFIG);

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "message-1" }] });
    expect(summary.results.filter((r) => r.ok)).toHaveLength(2);
    expect([...store.items.values()].map((item) => [item.ObjectKey, item.Status]).sort()).toEqual([
      ["birds/tweety.jpg", "processed"],
      ["cats/Tom.JPG", "processed"],
    ]);
  });

  it("records a message it cannot read with its reason and lets it leave the queue; skips non-image keys", async () => {
    const { store, notifier, deps } = fakes();

    const { response, summary } = await processQueueEvent(sqsBatch("{oops", eventBridgeS3Event({ key: "notes.txt" })), deps, CONFIG);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(summary.skipped.map((ref) => ref.key)).toEqual(["notes.txt"]);
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({ Status: "rejected", Reason: expect.stringContaining("not an EventBridge event") }),
    ]);
    expect(notifier.notices).toHaveLength(1);
  });

  it("keeps the sequencer order: an older event of a version already recorded from a newer one is stale", async () => {
    const { images, store, deps } = fakes();
    const bytes = image("baseline-exif.jpg");
    images.put("a.jpg", bytes, "image/jpeg");
    await processQueueEvent(sqsBatch(eventBridgeS3Event({ key: "a.jpg", sequencer: "00617F0829932A0000" })), deps, CONFIG);

    const { summary } = await processQueueEvent(
      sqsBatch(eventBridgeS3Event({ key: "a.jpg", sequencer: "00617F08299329D189" })),
      deps,
      CONFIG,
    );

    expect(summary.results[0]).toMatchObject({ ok: true, saved: "stale" });
    expect([...store.items.values()].map((item) => item.Sequencer)).toEqual(["00617F0829932A000000000000000000"]);
  });
});
