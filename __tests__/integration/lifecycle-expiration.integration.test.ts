// The bucket's lifecycle expiring a noncurrent version, in both delivery modes, end to end against
// moto with the deployed bundles: the processor, the derivatives function, the event queue. moto
// runs no lifecycle (emulator-gaps.json, "s3:lifecycle expiration"): the test deletes the version
// as the lifecycle does and sends the processor the event S3 documents for it — a notification's
// `LifecycleExpiration:Delete`
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configure-notification.html), or
// EventBridge's Object Deleted with `reason: "Lifecycle Expiration"` and `deletion-type: "Permanently
// Deleted"` (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { jpegWithGps, orientedJpeg } from "../functions/image-derivatives/sources";
import { eventBridgeS3Event } from "../fixtures";
import { synthStack } from "../helpers/synth";
import { provisionDerivatives } from "./derivatives-harness";
import { provisionEventQueue } from "./event-queue-harness";
import { drain, provisionFromStack, removalEventFor, scanTable, upload } from "./harness";

const GAPS = JSON.parse(readFileSync(join(__dirname, "..", "deploy", "emulator-gaps.json"), "utf8")).integration as { type: string }[];
const PERSONAL = /^(Gps|HasGps|TakenAt|Camera)/;

type Mode = "notification" | "eventbridge";

async function start(mode: Mode) {
  const eventbridge = mode === "eventbridge" ? { eventDelivery: "eventbridge" as const } : {};
  const h = await provisionFromStack(synthStack({ derivatives: EXAMPLE_RENDITIONS, ...eventbridge }).tf as never);
  const d = await provisionDerivatives(h);
  const q = mode === "eventbridge" ? await provisionEventQueue(h) : undefined;
  const [processor, derivatives] = await Promise.all([h.startFunction(), d.startFunction()]);
  /** An upload, taken by the processor the way the mode delivers it. */
  const uploaded = async (key: string, bytes: Uint8Array) => {
    const { event, versionId } = await upload(h, key, bytes);
    if (q) await q.pump(processor);
    else await processor(event);
    return versionId;
  };
  /** The lifecycle deletes `versionId` for good; S3's event for it reaches the processor. */
  const expired = async (key: string, versionId: string) => {
    await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: key, VersionId: versionId }));
    if (!q) return processor(removalEventFor(h, key, "LifecycleExpiration:Delete", versionId));
    // moto's own event for the DeleteObject (no deletion-type, a user's reason: emulator-gaps.json) is not what the lifecycle sends.
    await drain(h, q.queueUrl);
    const event = eventBridgeS3Event({
      bucket: h.bucket,
      key,
      versionId,
      // After moto's one sequencer for every event (emulator-gaps.json, "eventbridge:S3 event sequencer").
      sequencer: "617F0829932A0000",
      detailType: "Object Deleted",
      deletionType: "Permanently Deleted",
      reason: "Lifecycle Expiration",
    });
    await h.sqs.send(new SendMessageCommand({ QueueUrl: q.queueUrl, MessageBody: JSON.stringify(event) }));
    return q.pump(processor);
  };
  return { h, d, derivatives, uploaded, expired };
}

describe.each<Mode>(["notification", "eventbridge"])("lifecycle expiration against the emulator (%s delivery)", (mode) => {
  let p: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    p = await start(mode);
  });
  afterAll(() => p?.h.close());

  it("marks the expired noncurrent version deleted without its personal facts and re-renders nothing", async () => {
    // Arrange: a photo with a position, overwritten; the current version rendered
    const key = "photos/overwritten.jpg";
    const old = await p.uploaded(key, await jpegWithGps());
    const current = await p.uploaded(key, await orientedJpeg(6));
    await p.d.pump(p.derivatives);
    const byVersion = async () => new Map((await scanTable(p.h)).filter((i) => i.ObjectKey === key).map((i) => [i.VersionId, i]));
    const before = await byVersion();
    expect(Object.keys(before.get(old)!).filter((a) => PERSONAL.test(a))).not.toEqual([]);
    const renditionsBefore = await p.d.versions();

    // Act
    await p.expired(key, old);
    const pumped = await p.d.pump(p.derivatives);

    // Assert
    const after = await byVersion();
    expect(after.get(old)).toMatchObject({ Status: "deleted", DeletedAt: expect.any(String) });
    expect(Object.keys(after.get(old)!).filter((a) => PERSONAL.test(a))).toEqual([]);
    expect(after.get(current)).toEqual(before.get(current));
    expect(pumped.batches).toBe(0); // no derivatives request was queued
    expect(await p.d.versions()).toEqual(renditionsBefore);
    expect((await scanTable(p.h)).filter((i) => i.Status === "rejected")).toEqual([]);
  });
});

describe("the emulator and S3 lifecycle", () => {
  it("lists the gap that makes the test above build the lifecycle's events", () => {
    // moto never runs a lifecycle rule (moto/s3/models.py has no expiration worker and sends no
    // LifecycleExpiration event): when it does, this entry goes and the test above uses its events.
    expect(GAPS.map((gap) => gap.type)).toContain("s3:lifecycle expiration");
  });
});
