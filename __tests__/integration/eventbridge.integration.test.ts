// EventBridge delivery end to end in the emulator: moto's S3 sends each upload's event to EventBridge,
// moto's EventBridge matches it against the rule's synthesized pattern and sends what matches to the
// event queue, and a stand-in for Lambda's event source mapping (event-source-mapping.ts) feeds the
// queue to the deployed bundle. Emulated: the event source mapping (moto runs no functions without
// Docker). moto's events differ from AWS's in three fields (emulator-gaps.json, "integration").
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { mapBounded } from "../../functions/image-processor/core/bounded-map";
import { synthStack } from "../helpers/synth";
import { image } from "../fixtures";
import { type EventQueueHarness, provisionEventQueue } from "./event-queue-harness";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { type Harness, type Invoke, drain, provisionFromStack, queueDepth, scanTable } from "./harness";

const GAPS = JSON.parse(readFileSync(join(__dirname, "..", "deploy", "emulator-gaps.json"), "utf8")).integration as { type: string }[];
const listed = (type: string) => GAPS.some((gap) => gap.type === type);
const jpeg = image("baseline-exif.jpg");
const png = image("plain.png");

describe("EventBridge delivery against the emulator, provisioned from a synthesized stack", () => {
  let h: Harness;
  let q: EventQueueHarness;
  let invoke: Invoke;

  beforeEach(async () => {
    h = await provisionFromStack(synthStack({ eventDelivery: "eventbridge", formats: ["jpeg", "png"] }).tf as never);
    q = await provisionEventQueue(h);
    invoke = await h.startFunction();
  });
  afterEach(() => h?.close());

  const put = (key: string, body: Uint8Array | string, contentType?: string) =>
    h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: key, Body: body, ContentType: contentType }));

  it("queues only the images, whatever the letter case of their suffix, and records them as a notification's would be", async () => {
    // Arrange: images with mixed-case suffixes, and objects no rule should pass on.
    const images = ["cats/Tom.JPG", "cats/tom+jerry 1.Jpeg", "dogs/rex.PnG", "dogs/plain.png"];
    const others = ["notes.txt", "cats/tom.jpg.txt", "photo.webp", "cats/", "jpg", "archive.JPG.zip"];
    for (const key of images) await put(key, key.toLowerCase().endsWith("png") ? png : jpeg, undefined);
    for (const key of others) await put(key, "not an image");

    // Assert (the queue): EventBridge passed on the images' events alone.
    expect(await queueDepth(h, q.queueUrl)).toBe(images.length);

    // Act
    const tally = await q.pump(invoke);

    // Assert (the table): every image processed once, by its own key (not URL-encoded), nothing else recorded.
    const items = await scanTable(h);
    expect(items.map((item) => [item.ObjectKey, item.Status, item.DetectedFormat]).sort()).toEqual(
      [
        ["cats/Tom.JPG", "processed", "jpeg"],
        ["cats/tom+jerry 1.Jpeg", "processed", "jpeg"],
        ["dogs/plain.png", "processed", "png"],
        ["dogs/rex.PnG", "processed", "png"],
      ].sort(),
    );
    expect(items.every((item) => typeof item.VersionId === "string" && item.VersionId !== "null")).toBe(true);
    expect(tally).toMatchObject({ failedMessages: 0, invocationErrors: 0 });
    expect(await queueDepth(h, q.deadLetterQueueUrl)).toBe(0);
  });

  it("shows the emulator's listed differences from AWS's S3 events on EventBridge (emulator-gaps.json), and fails once one is gone", async () => {
    // Arrange: two uploads of different keys; a delete marker on one, and the other's only version deleted for good.
    await put("a.jpg", jpeg);
    const b = await put("b.jpg", jpeg);
    await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: "a.jpg" }));
    await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: "b.jpg", VersionId: b.VersionId }));

    // Act: the events as they wait in the queue (which, as provisioned here, has no access policy at all).
    const { Attributes } = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.queueUrl, AttributeNames: ["Policy"] }));
    const events = (await drain(h, q.queueUrl)).sort(
      (x, y) => x["detail-type"].localeCompare(y["detail-type"]) || x.detail.object.key.localeCompare(y.detail.object.key),
    );
    const [createdA, createdB] = events.filter((e) => e["detail-type"] === "Object Created");
    const deleted = events.filter((e) => e["detail-type"] === "Object Deleted");

    // Assert: AWS refuses EventBridge a queue whose policy does not admit the rule; gives every event its own sequencer, names the ETag `etag`, and says what a deletion made.
    expect(Attributes?.Policy === undefined && events.length > 0).toBe(listed("eventbridge:queue and key policies"));
    expect(createdA.detail.object.sequencer === createdB.detail.object.sequencer).toBe(listed("eventbridge:S3 event sequencer"));
    expect("etag" in createdA.detail.object).toBe(!listed("eventbridge:S3 event etag"));
    const gap = listed("eventbridge:S3 Object Deleted deletion-type");
    expect(deleted.map((e) => [e.detail.object.key, e.detail["deletion-type"]])).toEqual(
      gap
        ? [["b.jpg", undefined]]
        : [
            ["a.jpg", "Delete Marker Created"],
            ["b.jpg", "Permanently Deleted"],
          ],
    );
  });

  it(`accounts for every one of 120 uploads under injected faults as an item or a dead letter, with no duplicates`, async () => {
    // Arrange: uploads go straight to the emulator; only the function's calls meet faults.
    const keys = Array.from({ length: 120 }, (_, i) => `batch/${String(i).padStart(4, "0")}.${i % 3 === 0 ? "PNG" : "jpg"}`);
    const puts = await mapBounded(keys, 8, async (key) => ({
      key,
      versionId: (await put(key, key.endsWith("PNG") ? png : jpeg)).VersionId!,
    }));
    h.proxy.requests.length = 0;
    // A rate at which some messages fail on every delivery: each delivery makes two calls (the GET and
    // the conditional write) since the HeadObject went, so at 0.55 all of them might get through.
    h.proxy.setFaults({ rate: 0.65, services: ["s3", "dynamodb", "sns"], seed: 20261202 });

    // Act: two pollers, as Lambda scales the mapping out.
    const tally = await q.pump([invoke, await h.startFunction()]);
    h.proxy.setFaults({ rate: 0, services: [], seed: 1 });

    // Assert
    const items = await scanTable(h);
    const deadLetters = await drain(h, q.deadLetterQueueUrl);
    const recorded = new Set(items.map((item) => `${item.ObjectKey}#${item.VersionId}`));
    const dead = new Set(deadLetters.map((event) => `${event.detail.object.key}#${event.detail.object["version-id"]}`));
    const lost = puts.filter(({ key, versionId }) => !recorded.has(`${key}#${versionId}`) && !dead.has(`${key}#${versionId}`));
    const injected = h.proxy.requests.filter((r) => r.injected).length;
    console.log(
      `eventbridge fault tally: ${JSON.stringify({ uploads: puts.length, injected, ...tally, items: items.length, deadLetters: deadLetters.length, lost: lost.length })}`,
    );

    expect(lost).toEqual([]);
    expect(items).toHaveLength(recorded.size); // one item per version, however often its message was delivered
    expect(items.every((item) => item.Status === "processed")).toBe(true);
    // The faults were real: failed records went back to the queue alone, were retried, and some
    // failed on every delivery and were redriven to the event dead-letter queue.
    expect(injected).toBeGreaterThan(puts.length);
    expect(tally.failedMessages).toBeGreaterThan(0);
    expect(deadLetters.length).toBeGreaterThan(0);
    expect(items.length).toBeGreaterThan(0);
  });
});
