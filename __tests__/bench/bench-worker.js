// Measurements that must run in a process of their own, against the emulator:
//   throughput  the handler on a batch of records vs the bare SDK calls it must make
//   memory      peak RSS of a fresh process that loads the bundle and processes one event
//   bare-sharp  the derivatives' floor: the same renditions by sharp alone, in the same warm process
// Env: PROCESSOR_BUNDLE, MOTO_ENDPOINT, the function's environment. Replies on IPC.
const { readFileSync } = require("node:fs");
const { handler } = require(process.env.PROCESSOR_BUNDLE);

/**
 * This process's peak resident memory in KiB. On Linux, getrusage's maxRSS survives exec, so a
 * worker forked from a large test process would report its parent's peak: the high-water mark
 * of this process's own memory map (VmHWM, new at exec) is read instead.
 */
function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

async function bareCalls(records, concurrency) {
  // The SDK the bundle pins, from the project's node_modules, talking straight to the emulator.
  const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
  const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");
  const s3 = new S3Client({});
  const dynamodb = new DynamoDBClient({});
  const window = Number(process.env.READ_WINDOW_BYTES);
  const one = async (record) => {
    const { bucket, object } = record.s3;
    const Key = decodeURIComponent(object.key.replace(/\+/g, " "));
    // The calls the handler cannot do without: one ranged GET (which answers the head too) and one conditional write.
    const got = await s3.send(
      new GetObjectCommand({ Bucket: bucket.name, Key, VersionId: object.versionId, Range: `bytes=0-${window - 1}` }),
    );
    await got.Body.transformToByteArray();
    await dynamodb.send(
      new PutItemCommand({
        TableName: process.env.METADATA_TABLE,
        Item: { ImageId: { S: `bare-${Key}-${object.versionId}` }, Sequencer: { S: object.sequencer } },
        ConditionExpression: "attribute_not_exists(ImageId) OR Sequencer < :s",
        ExpressionAttributeValues: { ":s": { S: object.sequencer } },
      }),
    );
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < records.length) await one(records[next++]);
    }),
  );
}

/**
 * The floor for the derivatives function: the same renditions of the same bytes by sharp alone,
 * one pipeline each from the bytes as sharp's documentation writes them (no S3, no item), one
 * after another as the function's one vCPU at 1,536 MB runs them (two side by side would measure
 * this machine's second core, which the function does not have).
 */
async function bareSharp(path, renditions) {
  const sharp = require("sharp");
  const bytes = readFileSync(path);
  for (const r of renditions) {
    await sharp(bytes)
      .rotate()
      .resize({ width: r.width, height: r.height, fit: r.fit, withoutEnlargement: true })
      .toFormat(r.format, { quality: r.quality })
      .toBuffer();
  }
}

process.on("message", async (message) => {
  try {
    if (message.kind === "handler") {
      const start = process.hrtime.bigint();
      const result = await handler(message.event, { functionName: "bench", awsRequestId: "bench" });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      process.send({ ok: true, ms, result, maxRssKb: peakRssKb() });
    } else if (message.kind === "bare") {
      const start = process.hrtime.bigint();
      await bareCalls(message.event.Records, message.concurrency);
      process.send({ ok: true, ms: Number(process.hrtime.bigint() - start) / 1e6 });
    } else if (message.kind === "bare-sharp") {
      const start = process.hrtime.bigint();
      await bareSharp(message.path, message.renditions);
      process.send({ ok: true, ms: Number(process.hrtime.bigint() - start) / 1e6 });
    }
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack) });
  }
});
process.send({ ready: true, maxRssKb: peakRssKb() });
