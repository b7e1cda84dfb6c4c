import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { PROCESSOR_RUNTIME } from "../../constructs/parts/processor-function";
import { image } from "../fixtures";
import { type Harness, type Invoke, drain, eventFor, invokeAsync, provisionFromStack, scanTable, upload } from "./harness";

/** The function's S3 requests for one key, in order, as the proxy recorded them. */
const s3Requests = (h: Harness, key: string) =>
  h.proxy.requests
    .filter((r) => r.service === "s3" && decodeURIComponent(r.path).split("?")[0].endsWith(`/${key}`))
    .map(({ method, range, status }) => ({ method, range, status }));

/** S3's error answer, as S3 sends it. */
const s3ErrorBody = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>host</HostId></Error>`;

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
    // A typical image (its header in the first window): one S3 request, the GET of that window,
    // which also answers what a HeadObject would (size, type, ETag, version, time). No HEAD.
    const window = Number(h.functionEnvironment.READ_WINDOW_BYTES);
    for (const key of ["uploads/tom.jpg", "uploads/plain.png"]) {
      expect(s3Requests(h, key)).toEqual([{ method: "GET", range: `bytes=0-${window - 1}`, status: 206 }]);
    }
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
    // What S3 said of each version came with its GET: the item's size, type and ETag are S3's.
    const tom = items.find((item) => item.ObjectKey === "uploads/tom.jpg");
    expect(tom).toMatchObject({ FileSize: image("baseline-exif.jpg").length, ContentType: "image/jpeg", ETag: jpeg.record.s3.object.eTag });
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

  it("decides S3's refusals from the first GET, as a HeadObject decided them, with a HeadObject only for an empty object", async () => {
    const window = Number(h.functionEnvironment.READ_WINDOW_BYTES);
    const body = image("baseline-exif.jpg");
    // A version deleted for good; the version id of a delete marker; a key whose current version is a delete marker.
    const deleted = await upload(h, "refuse/deleted.jpg", body, "image/jpeg");
    await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: "refuse/deleted.jpg", VersionId: deleted.versionId }));
    await upload(h, "refuse/marker.jpg", body, "image/jpeg");
    const marker = await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: "refuse/marker.jpg" }));
    const markerVersion = eventFor(h, "refuse/marker.jpg", body.length, { ETag: '"e"', VersionId: marker.VersionId });
    await upload(h, "refuse/current.jpg", body, "image/jpeg");
    await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: "refuse/current.jpg" }));
    const current = eventFor(h, "refuse/current.jpg", body.length, { ETag: '"e"', VersionId: undefined });
    // Archived; empty.
    const put = await h.s3.send(
      new PutObjectCommand({ Bucket: h.bucket, Key: "refuse/archived.jpg", Body: body, StorageClass: "GLACIER" }),
    );
    const archived = eventFor(h, "refuse/archived.jpg", body.length, put);
    const empty = await upload(h, "refuse/empty.png", new Uint8Array(), "image/png");
    // moto serves an SSE-C object without its key and has no key policies: S3's answers, from the proxy.
    const ssec = await upload(h, "refuse/ssec.jpg", body, "image/jpeg");
    const kms = await upload(h, "refuse/kms.jpg", body, "image/jpeg");
    const sseMessage =
      "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.";
    const kmsMessage =
      "User: arn:aws:sts::123456789012:assumed-role/ImageProcessor-dev/x is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:123456789012:key/k";
    h.proxy.setAnswers([
      { path: /refuse\/ssec\.jpg/, status: 400, body: s3ErrorBody("InvalidRequest", sseMessage) },
      { path: /refuse\/kms\.jpg/, status: 403, body: s3ErrorBody("AccessDenied", kmsMessage) },
    ]);
    h.proxy.requests.length = 0;

    const runs = [];
    try {
      for (const { event } of [deleted, markerVersion, current, archived, empty, ssec, kms])
        runs.push(await invokeAsync(h, handler, event));
    } finally {
      h.proxy.setAnswers([]);
    }

    expect(runs.map((run) => run.attempts)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const byKey = Object.fromEntries((await scanTable(h)).map((item) => [item.ObjectKey, item]));
    const gone = "the object version no longer exists";
    expect(byKey["refuse/deleted.jpg"]).toMatchObject({ Status: "missing", Reason: gone, FileSize: body.length });
    expect(byKey["refuse/marker.jpg"]).toMatchObject({ Status: "missing", Reason: gone });
    expect(byKey["refuse/current.jpg"]).toMatchObject({ Status: "missing", Reason: gone });
    expect(byKey["refuse/archived.jpg"]).toMatchObject({
      Status: "unreadable",
      Reason: "S3 refuses to read the object: InvalidObjectState (The operation is not valid for the object's storage class)",
    });
    expect(byKey["refuse/ssec.jpg"]).toMatchObject({
      Status: "unreadable",
      Reason: `S3 refuses to read the object: InvalidRequest (SSE-C) (${sseMessage})`,
    });
    expect(byKey["refuse/kms.jpg"]).toMatchObject({
      Status: "unreadable",
      Reason: `S3 refuses to read the object: AccessDenied (KMS) (${kmsMessage})`,
    });
    // The empty object's item has the fields a HeadObject gave it before: S3's type, ETag and size.
    expect(byKey["refuse/empty.png"]).toMatchObject({
      Status: "rejected",
      Reason: "empty object (0 bytes)",
      FileSize: 0,
      ContentType: "image/png",
      ETag: empty.record.s3.object.eTag,
    });
    const first = { method: "GET", range: `bytes=0-${window - 1}` };
    expect(s3Requests(h, "refuse/deleted.jpg")).toEqual([{ ...first, status: 404 }]);
    expect(s3Requests(h, "refuse/marker.jpg")).toEqual([{ ...first, status: 404 }]);
    expect(s3Requests(h, "refuse/current.jpg")).toEqual([{ ...first, status: 404 }]);
    expect(s3Requests(h, "refuse/archived.jpg")).toEqual([{ ...first, status: 403 }]);
    expect(s3Requests(h, "refuse/ssec.jpg")).toEqual([{ ...first, status: 400 }]);
    expect(s3Requests(h, "refuse/kms.jpg")).toEqual([{ ...first, status: 403 }]);
    // S3 answers a range of an empty object with 416 and none of its headers: then, and only then, a HEAD.
    expect(s3Requests(h, "refuse/empty.png")).toEqual([
      { ...first, status: 416 },
      { method: "HEAD", range: undefined, status: 200 },
    ]);
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
