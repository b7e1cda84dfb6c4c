// Keys in both encodings: the deployed bundle finds and records every object by the key S3 has,
// whatever the key holds (spaces, `+`, `%`, non-ASCII characters) and however the event spells it.
// Notification delivery: the events are moto's own notifications (form-encoded keys, as S3 sends
// them), caught on a queue the test adds to the bucket's notification configuration (moto runs no
// function from a notification: emulator-gaps.json, "s3:notification to Lambda"), handed to the
// bundle as Lambda would. EventBridge delivery: moto's S3 puts each upload's event on EventBridge,
// the rule's synthesized pattern takes it to the event queue, and a stand-in for the event source
// mapping feeds the bundle; moto's events carry the key as given, and the same events are also sent
// through the rule with the key form-encoded, as a notification spells it (the S3 User Guide shows
// EventBridge keys plain but does not say they are never encoded): the processor then reads the key
// decoded and records the key S3 has.
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { PutBucketNotificationConfigurationCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { synthStack } from "../helpers/synth";
import { image } from "../fixtures";
import { provisionEventQueue } from "./event-queue-harness";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ACCOUNT, type Harness, drain, nextSequencer, provisionFromStack, queueDepth, scanTable } from "./harness";

const GAPS = JSON.parse(readFileSync(join(__dirname, "..", "deploy", "emulator-gaps.json"), "utf8")).integration as { type: string }[];

const jpeg = image("baseline-exif.jpg");
/** Keys as S3 has them: each needs encoding in an event, and some look encoded already. */
const KEYS = [
  "spaced name.jpg",
  "plus+sign.jpg",
  "100% pure.jpg",
  "literal%2Bplus.jpg",
  "café/写真 ünïcode.JPG",
  "mixed + %20 é/photo (1).jpeg",
];
/** A key form-encoded as an S3 notification spells it: percent-encoded UTF-8, a space as `+`. */
const formEncoded = (key: string) => encodeURIComponent(key).replace(/%20/g, "+");

/** The messages waiting on a queue: taken off it (`take`), or read and left there for the event source mapping. */
async function waiting(h: Harness, queueUrl: string, take: boolean): Promise<any[]> {
  const { Messages = [] } = await h.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: take ? 600 : 0 }),
  );
  if (take) for (const m of Messages) await h.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
  return Messages.map((m) => JSON.parse(m.Body!));
}

const recorded = async (h: Harness) =>
  (await scanTable(h)).map((item) => [item.ObjectKey, item.Status]).sort((a, b) => a[0].localeCompare(b[0]));
const expected = (prefix: string) => KEYS.map((key) => [`${prefix}/${key}`, "processed"]).sort((a, b) => a[0].localeCompare(b[0]));

describe("keys that need encoding, against the emulator", () => {
  let h: Harness;
  afterEach(() => h?.close());

  const upload = (key: string) => h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: key, Body: jpeg, ContentType: "image/jpeg" }));

  it("with S3 notifications: records every object under the key S3 has, from the notification's encoded key", async () => {
    // Arrange: the dev stack (S3 notifications); moto's own notifications caught on a queue.
    h = await provisionFromStack(synthStack().tf as never);
    const { QueueUrl } = await h.sqs.send(new CreateQueueCommand({ QueueName: "notifications-as-sent" }));
    await h.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: h.bucket,
        NotificationConfiguration: {
          QueueConfigurations: [{ QueueArn: `arn:aws:sqs:${h.region}:${ACCOUNT}:notifications-as-sent`, Events: ["s3:ObjectCreated:*"] }],
        },
      }),
    );
    const versions = new Map<string, string>();
    for (const key of KEYS) versions.set(`notification/${key}`, (await upload(`notification/${key}`)).VersionId!);
    const records = (await drain(h, QueueUrl!)).flatMap((body) => body.Records ?? []);
    const invoke = await h.startFunction();
    // The emulator's listed gap (emulator-gaps.json, "s3:notification versionId and sequencer"), shown
    // (fails once gone): its records name neither, so they are given the upload's version and a sequencer.
    const gap = GAPS.some((g) => g.type === "s3:notification versionId and sequencer");
    expect(records.every((r) => r.s3.object.versionId === undefined && r.s3.object.sequencer === undefined)).toBe(gap);
    const complete = records.map((r) => {
      const key = decodeURIComponent(r.s3.object.key.replace(/\+/g, " "));
      return { ...r, s3: { ...r.s3, object: { versionId: versions.get(key), sequencer: nextSequencer(), ...r.s3.object } } };
    });

    // Act
    for (const record of complete) await invoke({ Records: [record] });

    // Assert: every event spelled its key encoded, and every object is recorded by its own key.
    expect(records).toHaveLength(KEYS.length);
    expect(records.filter((r) => KEYS.some((key) => r.s3.object.key === `notification/${key}`))).toEqual([]);
    expect(await recorded(h)).toEqual(expected("notification"));
  });

  it("with EventBridge delivery: records every object under the key S3 has, from the key as given and form-encoded", async () => {
    // Arrange: EventBridge delivery as synthesized; moto's events for one set of uploads, and the
    // events of another set sent through the rule with their keys form-encoded.
    h = await provisionFromStack(synthStack({ eventDelivery: "eventbridge" }).tf as never);
    const q = await provisionEventQueue(h);
    const invoke = await h.startFunction();
    for (const key of KEYS) await upload(`as-given/${key}`);
    expect(await queueDepth(h, q.queueUrl)).toBe(KEYS.length);
    const asGiven = await q.pump(invoke);

    for (const key of KEYS) await upload(`encoded/${key}`);
    const events = await waiting(h, q.queueUrl, true);
    const encodedKeys = events.map((event) => formEncoded(event.detail.object.key));
    const eventBridge = new EventBridgeClient({
      endpoint: process.env.MOTO_ENDPOINT,
      region: h.region,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    await eventBridge.send(
      new PutEventsCommand({
        Entries: events.map((event, i) => ({
          Source: event.source,
          DetailType: event["detail-type"],
          Resources: event.resources,
          Detail: JSON.stringify({ ...event.detail, object: { ...event.detail.object, key: encodedKeys[i] } }),
        })),
      }),
    );
    eventBridge.destroy();
    const queuedEncoded = (await waiting(h, q.queueUrl, false)).map((event) => event.detail.object.key);

    // Act
    const encoded = await q.pump(invoke);

    // Assert
    expect(asGiven).toMatchObject({ failedMessages: 0, invocationErrors: 0 });
    expect(encoded).toMatchObject({ failedMessages: 0, invocationErrors: 0 });
    expect(queuedEncoded.sort()).toEqual([...encodedKeys].sort());
    expect(queuedEncoded.filter((key) => KEYS.some((k) => key === `encoded/${k}`))).toEqual([]);
    expect(await recorded(h)).toEqual([...expected("as-given"), ...expected("encoded")].sort((a, b) => a[0].localeCompare(b[0])));
  });
});
