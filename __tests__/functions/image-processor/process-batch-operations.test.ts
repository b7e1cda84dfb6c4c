import { isBatchOperationsEvent, isTransient } from "../../../functions/image-processor/core/batch-operations-event";
import { processBatchOperations } from "../../../functions/image-processor/process-batch-operations";
import { batchOperationsEvent, image } from "../../fixtures";
import { CONFIG, fakes } from "./fakes";

describe("processBatchOperations (S3 Batch Operations, invocation schema 2.0)", () => {
  it("records each task's version as a backfill event would, decoding the URL-encoded key, and answers each task alone", async () => {
    // Arrange
    const { images, store, deps } = fakes();
    const bytes = image("baseline-exif.jpg");
    images.put("cats/Tom & Jerry.JPG", bytes, "image/jpeg").put("notes.txt", bytes);
    const event = batchOperationsEvent(
      { s3Key: "cats/Tom+%26+Jerry.JPG", s3VersionId: "v-1" },
      { s3Key: "notes.txt" },
      { s3Key: "%E0%A4%A" },
    );

    // Act
    const { response } = await processBatchOperations(event, deps, CONFIG);

    // Assert
    expect(response).toMatchObject({
      invocationSchemaVersion: "2.0",
      treatMissingKeysAs: "PermanentFailure",
      invocationId: event.invocationId,
    });
    expect(response.results.map((r) => [r.taskId, r.resultCode, r.resultString])).toEqual([
      [event.tasks[0].taskId, "Succeeded", "processed"],
      [event.tasks[1].taskId, "Succeeded", "skipped: the key does not end in an image suffix of the configured formats"],
      [event.tasks[2].taskId, "PermanentFailure", "s3Key is not valid URL encoding"],
    ]);
    expect([...store.items.values()]).toEqual([
      expect.objectContaining({ ObjectKey: "cats/Tom & Jerry.JPG", VersionId: "v-1", Status: "processed", Sequencer: "0".repeat(32) }),
    ]);
  });

  it("never replaces an item a real upload recorded: a task of a recorded version is answered as already recorded", async () => {
    const { images, store, deps } = fakes();
    images.put("a.jpg", image("baseline-exif.jpg"), "image/jpeg");
    await processBatchOperations(batchOperationsEvent({ s3Key: "a.jpg", s3VersionId: "v-1" }), deps, CONFIG);
    const [item] = store.items.values();
    store.items.set(item.ImageId, { ...item, Sequencer: "0055AED6DCD90281E5".padEnd(32, "0"), Width: 1 });

    const { response } = await processBatchOperations(batchOperationsEvent({ s3Key: "a.jpg", s3VersionId: "v-1" }), deps, CONFIG);

    expect(response.results[0]).toMatchObject({ resultCode: "Succeeded", resultString: "processed (already recorded: stale)" });
    expect([...store.items.values()][0].Width).toBe(1);
  });

  it("asks S3 to retry a task that met throttling, and fails one that met a refusal for good, with the reason", async () => {
    const { images, store, deps } = fakes();
    images.put("a.jpg", image("baseline-exif.jpg"), "image/jpeg").put("b.jpg", image("baseline-exif.jpg"), "image/jpeg");
    const save = store.save.bind(store);
    store.save = async (item, notify, options) => {
      if (item.ObjectKey === "a.jpg") throw Object.assign(new Error("Rate exceeded"), { name: "ProvisionedThroughputExceededException" });
      if (item.ObjectKey === "b.jpg")
        throw Object.assign(new Error("not authorized"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } });
      return save(item, notify, options);
    };

    const { response } = await processBatchOperations(batchOperationsEvent({ s3Key: "a.jpg" }, { s3Key: "b.jpg" }), deps, CONFIG);

    expect(response.results.map((r) => [r.resultCode, r.resultString])).toEqual([
      ["TemporaryFailure", "ProvisionedThroughputExceededException: Rate exceeded"],
      ["PermanentFailure", "AccessDeniedException: not authorized"],
    ]);
  });

  it("tells Batch Operations payloads from other events, and transient failures from the rest", () => {
    expect(isBatchOperationsEvent(batchOperationsEvent({ s3Key: "a.jpg" }))).toBe(true);
    expect(isBatchOperationsEvent({ Records: [] })).toBe(false);
    expect(
      [{ $metadata: { httpStatusCode: 503 } }, { name: "SlowDown" }, { code: "ECONNRESET" }, { $retryable: {} }].map(isTransient),
    ).toEqual([true, true, true, true]);
    expect([{ name: "AccessDenied", $metadata: { httpStatusCode: 403 } }, new TypeError("bug")].map(isTransient)).toEqual([false, false]);
  });
});
