import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { PROCESSOR_RUNTIME } from "../../constructs/parts/processor-function";
import { image } from "../fixtures";
import { type Harness, type Invoke, drain, eventFor, invokeAsync, provisionFromStack, scanTable, upload } from "./harness";

/** The notifications a subscriber received: SNS envelopes on the observer queue. */
async function notifications(h: Harness) {
  return (await drain(h, h.observerQueueUrl)).map((envelope) => ({
    status: envelope.MessageAttributes?.status?.Value,
    environment: envelope.MessageAttributes?.environment?.Value,
    body: JSON.parse(envelope.Message),
  }));
}

describe("the processor against the emulator, provisioned from the synthesized dev stack", () => {
  let h: Harness;
  let handler: Invoke;

  beforeAll(async () => {
    h = await provisionFromStack();
    handler = await h.startFunction();
  });
  afterAll(() => h?.close());
  beforeEach(async () => {
    await drain(h, h.observerQueueUrl);
    h.proxy.requests.length = 0;
  });

  it("runs the bundle on the Node major of the function's Lambda runtime", () => {
    expect(`nodejs${handler.nodeVersion.split(".")[0]}.x`).toBe(PROCESSOR_RUNTIME);
  });

  it("records real JPEG and PNG uploads with their dimensions, and the time index answers a time range", async () => {
    const jpeg = await upload(h, "uploads/tom.jpg", image("baseline-exif.jpg"), "image/jpeg");
    const png = await upload(h, "uploads/plain.png", image("interlaced.png"), "image/png");

    const results = [await handler(jpeg.event), await handler(png.event)];

    expect(results.map((r) => r.results[0].status)).toEqual(["processed", "processed"]);
    const items = await scanTable(h);
    expect(
      items.map(({ ObjectKey, DetectedFormat, Width, Height, Status, VersionId }) => ({
        ObjectKey,
        DetectedFormat,
        Width,
        Height,
        Status,
        VersionId,
      })),
    ).toEqual(
      expect.arrayContaining([
        { ObjectKey: "uploads/tom.jpg", DetectedFormat: "jpeg", Width: 64, Height: 48, Status: "processed", VersionId: jpeg.versionId },
        { ObjectKey: "uploads/plain.png", DetectedFormat: "png", Width: 24, Height: 16, Status: "processed", VersionId: png.versionId },
      ]),
    );

    const day = jpeg.record.eventTime.slice(0, 10);
    const t = Math.floor(Date.parse(jpeg.record.eventTime) / 1000);
    const inRange = await h.documents.send(
      new QueryCommand({
        TableName: h.table,
        IndexName: h.timeIndex,
        KeyConditionExpression: "UploadDate = :day AND UploadTimestamp BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":day": day, ":from": t - 60, ":to": t + 60 },
      }),
    );
    expect(inRange.Items?.map((item) => item.ObjectKey).sort()).toEqual(["uploads/plain.png", "uploads/tom.jpg"]);
    const before = await h.documents.send(
      new QueryCommand({
        TableName: h.table,
        IndexName: h.timeIndex,
        KeyConditionExpression: "UploadDate = :day AND UploadTimestamp BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":day": day, ":from": t - 7200, ":to": t - 3600 },
      }),
    );
    expect(before.Items).toEqual([]);
    expect(await notifications(h)).toEqual([]);
  });

  it("processes image keys in any letter case and skips other keys without reading or recording them", async () => {
    const mixed = await upload(h, "case/Tom.Jpg", image("baseline-exif.jpg"), "image/jpeg");
    const upper = await upload(h, "case/PLAIN.PNG", image("interlaced.png"), "image/png");
    const other = await upload(h, "case/notes.txt", image("baseline-exif.jpg"), "text/plain");
    const event = { Records: [...mixed.event.Records, ...upper.event.Records, ...other.event.Records] };

    const result = await handler(event);

    expect(result.results.map((r: { key: string; status: string }) => [r.key, r.status])).toEqual([
      ["case/Tom.Jpg", "processed"],
      ["case/PLAIN.PNG", "processed"],
    ]);
    expect(result.skipped).toEqual(["case/notes.txt"]);
    const keys = (await scanTable(h)).map((item) => item.ObjectKey).filter((key) => key.startsWith("case/"));
    expect(keys.sort()).toEqual(["case/PLAIN.PNG", "case/Tom.Jpg"]);
    expect(h.proxy.requests.filter((request) => request.path.includes("notes.txt"))).toEqual([]);
    expect(h.proxy.requests.filter((request) => request.path.includes("Tom.Jpg")).length).toBeGreaterThan(0);
  });

  it("keeps one item per version, newest wins, and notifies once for a redelivered or older event", async () => {
    const first = await upload(h, "dup/bad.jpg", "not an image at all");
    const replay = JSON.parse(JSON.stringify(first.event));
    const older = JSON.parse(JSON.stringify(first.event));
    older.Records[0].s3.object.sequencer = "0000000000000001";

    const outcomes = [];
    for (const event of [first.event, replay, older]) outcomes.push((await handler(event)).results[0].saved);

    expect(outcomes).toEqual(["written", "duplicate", "stale"]);
    const items = (await scanTable(h)).filter((item) => item.ObjectKey === "dup/bad.jpg");
    expect(items).toHaveLength(1);
    expect(items[0].Sequencer).toBe(first.record.s3.object.sequencer.padEnd(32, "0"));
    expect(items[0].NotificationPending).toBeUndefined();
    expect((await notifications(h)).map((n) => n.status)).toEqual(["rejected"]);
  });

  it("rejects or marks missing what is not a usable image, with a reason and a notification, without retrying", async () => {
    const text = await upload(h, "bad/text.jpg", "This is text.\n", "image/jpeg");
    const truncated = await upload(h, "bad/truncated.png", image("plain.png").subarray(0, 20), "image/png");
    const empty = await upload(h, "bad/empty.png", new Uint8Array(), "image/png");
    const deleted = await upload(h, "bad/deleted.jpg", image("progressive.jpg"), "image/jpeg");
    await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: "bad/deleted.jpg", VersionId: deleted.versionId }));
    const odd = await upload(h, "odd keys/café + 写真 100%.JPG", image("progressive.jpg"), "image/jpeg");

    const runs = [];
    for (const { event } of [text, truncated, empty, deleted, odd]) runs.push(await invokeAsync(h, handler, event));

    expect(runs.map((run) => run.attempts)).toEqual([1, 1, 1, 1, 1]);
    const byKey = Object.fromEntries((await scanTable(h)).map((item) => [item.ObjectKey, item]));
    expect(byKey["bad/text.jpg"]).toMatchObject({
      Status: "rejected",
      Reason: expect.stringContaining("not an accepted image format by its bytes"),
    });
    expect(byKey["bad/truncated.png"]).toMatchObject({ Status: "rejected", Reason: expect.stringMatching(/^truncated PNG|zero width/) });
    expect(byKey["bad/empty.png"]).toMatchObject({ Status: "rejected", Reason: "empty object (0 bytes)" });
    expect(byKey["bad/deleted.jpg"]).toMatchObject({ Status: "missing", Reason: expect.any(String) });
    expect(byKey["odd keys/café + 写真 100%.JPG"]).toMatchObject({ Status: "processed", Width: 40, Height: 30 });
    const notes = await notifications(h);
    expect(notes.map((n) => [n.body.key, n.status, n.environment]).sort()).toEqual([
      ["bad/deleted.jpg", "missing", "dev"],
      ["bad/empty.png", "rejected", "dev"],
      ["bad/text.jpg", "rejected", "dev"],
      ["bad/truncated.png", "rejected", "dev"],
    ]);
    expect(await drain(h, h.deadLetterQueueUrl)).toEqual([]);
  });

  it("reads only a bounded window of a large object, and then reads ahead to a late frame header in one more GET", async () => {
    const window = Number(h.functionEnvironment.READ_WINDOW_BYTES);
    const header = image("plain.png");
    const large = Buffer.concat([header, randomBytes(6 * 1024 * 1024)]);
    const late = image("late-sof.jpg");
    const bigPng = await upload(h, "large/photo.png", large, "image/png");
    const lateJpeg = await upload(h, "large/late.jpg", late, "image/jpeg");
    h.proxy.requests.length = 0;

    await handler(bigPng.event);
    await handler(lateJpeg.event);

    const gets = (key: string) =>
      h.proxy.requests.filter((r) => r.service === "s3" && r.method === "GET" && decodeURIComponent(r.path).includes(key));
    const report = (key: string) => gets(key).map((r) => ({ range: r.range, bytes: r.responseBytes }));
    expect(report("large/photo.png")).toEqual([{ range: `bytes=0-${window - 1}`, bytes: window }]);
    // The window, then one read from the next segment header (an APP2 at 65557) of four windows, which
    // the end of the file cuts short: it holds the frame header (SOF0 at 102594). Two round trips.
    expect(late.length - 65557).toBeLessThan(4 * window);
    expect(report("large/late.jpg")).toEqual([
      { range: `bytes=0-${window - 1}`, bytes: window },
      { range: `bytes=65557-${late.length - 1}`, bytes: late.length - 65557 },
    ]);
    const items = Object.fromEntries((await scanTable(h)).map((item) => [item.ObjectKey, item]));
    expect(items["large/photo.png"]).toMatchObject({ Status: "processed", FileSize: large.length, Width: 32, Height: 20 });
    expect(items["large/late.jpg"]).toMatchObject({ Status: "processed", Width: 20, Height: 10 });
  });

  it("records an archived (GLACIER) object as unreadable with S3's code, notifies it, and does not retry", async () => {
    const body = image("baseline-exif.jpg");
    const put = await h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: "cold/archived.jpg", Body: body, StorageClass: "GLACIER" }));
    const { event } = eventFor(h, "cold/archived.jpg", body.length, put);

    const result = await handler(event);

    expect(result.results).toEqual([expect.objectContaining({ status: "unreadable" })]);
    const item = (await scanTable(h)).find((i) => i.ObjectKey === "cold/archived.jpg");
    expect(item).toMatchObject({
      Status: "unreadable",
      Reason: expect.stringMatching(/^S3 refuses to read the object: InvalidObjectState/),
    });
    expect((await notifications(h)).map((n) => n.status)).toEqual(["unreadable"]);
  });
});
