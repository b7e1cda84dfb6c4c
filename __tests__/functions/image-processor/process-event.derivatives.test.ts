import { imageId } from "../../../functions/shared/image-id";
import { processEvent } from "../../../functions/image-processor/process-event";
import { encodeKey, image, s3Event } from "../../fixtures";
import { CONFIG, fakes, fakesWithDerivatives } from "./fakes";

const jpeg = image("baseline-exif.jpg");
const record = (key: string, extra: { sequencer?: string; versionId?: string } = {}) => ({
  encodedKey: encodeKey(key),
  size: jpeg.length,
  ...extra,
});

describe("processEvent with derivatives", () => {
  it("sends one request per processed image, naming its item and version", async () => {
    // Arrange
    const { images, queue, deps } = fakesWithDerivatives();
    images.put("cats/tom cat.jpg", jpeg, "image/jpeg");
    // Act
    await processEvent(s3Event(record("cats/tom cat.jpg", { versionId: "v1", sequencer: "0A" })), deps, CONFIG);
    // Assert
    expect(queue.requests).toEqual([
      {
        bucket: "image-storage-bucket-dev-123456789012",
        key: "cats/tom cat.jpg",
        versionId: "v1",
        imageId: imageId("image-storage-bucket-dev-123456789012", "cats/tom cat.jpg", "v1"),
        sequencer: "0A".padEnd(32, "0"),
      },
    ]);
  });

  it("sends none for rejected or missing images, nor for a stale event", async () => {
    const { images, queue, deps } = fakesWithDerivatives();
    images.put("text.jpg", Buffer.from("just text"), "image/jpeg").put("cat.jpg", jpeg, "image/jpeg");
    await processEvent(s3Event(record("cat.jpg", { sequencer: "0B" })), deps, CONFIG);
    queue.requests.length = 0;

    await processEvent(s3Event(record("text.jpg"), record("gone.jpg"), record("cat.jpg", { sequencer: "0A" })), deps, CONFIG);

    expect(queue.requests).toEqual([]);
  });

  it("sends the request again for a redelivered event, so a failed send is made good by the retry", async () => {
    // Arrange: the first attempt records the item, then the queue fails
    const { images, queue, store, deps } = fakesWithDerivatives();
    images.put("cat.jpg", jpeg, "image/jpeg");
    queue.failures = 1;
    const event = s3Event(record("cat.jpg"));
    // Act
    const first = await processEvent(event, deps, CONFIG);
    const retry = await processEvent(event, deps, CONFIG);
    // Assert
    expect(first.kind === "records" && first.results[0].ok).toBe(false);
    expect(retry.kind === "records" && retry.results[0]).toMatchObject({ ok: true, saved: "duplicate", derivativesRequested: true });
    expect([store.items.size, queue.requests.length]).toEqual([1, 1]);
  });

  it("sends nothing when the pipeline has no derivatives", async () => {
    const { images, deps } = fakes();
    images.put("cat.jpg", jpeg, "image/jpeg");
    const summary = await processEvent(s3Event(record("cat.jpg")), deps, CONFIG);
    expect(summary.kind === "records" && summary.results[0]).toMatchObject({ ok: true, derivativesRequested: false });
  });
});
