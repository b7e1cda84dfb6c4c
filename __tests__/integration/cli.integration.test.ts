import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { build } from "esbuild";
import { BACKFILL_EVENT, REPROCESS_EVENT, backfillRecord } from "../../functions/image-processor/core/backfill";
import { PROCESSOR_VERSION } from "../../functions/image-processor/core/outcome";
import { image } from "../fixtures";
import { type CliHarness, provisionForCli } from "./cli-harness";
import { type Invoke, scanTable, upload } from "./harness";

const keysOfPayload = (payload: any): string[] => payload.Records.map((r: any) => decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")));

describe("image-pipeline (the operators' command) against the emulator", () => {
  let h: CliHarness;
  let handler: Invoke;
  const item = async (key: string) => (await scanTable(h)).find((i) => i.ObjectKey === key);
  /** What Lambda would do with the accepted invocations: run their payloads through the bundle. */
  const deliver = async (invocations: { payload: any }[]) => {
    for (const { payload } of invocations) await handler(payload);
  };

  beforeAll(async () => {
    h = await provisionForCli();
    handler = await h.startFunction();
  });
  afterAll(() => h?.close());

  describe("backfill", () => {
    beforeAll(async () => {
      for (const key of ["old/one.jpg", "old/Two.JPG", "old/sub/three.Png", "old/notes.txt", "old/four.jpeg", "new/five.jpg"]) {
        await upload(
          h,
          key,
          key.endsWith(".txt") ? "notes" : image(key.toLowerCase().endsWith("png") ? "interlaced.png" : "baseline-exif.jpg"),
        );
      }
      // A version that is no longer current, and an image recorded from its real upload event.
      await upload(h, "old/gone.jpg", image("baseline-exif.jpg"));
      await h.s3.send(new DeleteObjectCommand({ Bucket: h.bucket, Key: "old/gone.jpg" }));
      const real = await upload(h, "old/four.jpeg", image("baseline-exif.jpg"), "image/jpeg");
      await handler(real.event);
    });

    it("counts without sending on --dry-run", async () => {
      const since = Date.now();

      const result = await h.cli(["backfill", "--outputs", h.outputsFile, "--dry-run", "--json"]);

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ listed: 6, images: 5, sent: 4, alreadyRecorded: 1, failed: 0 });
      expect(h.invocations(since)).toEqual([]);
    });

    it("sends the image keys of the deployed formats in any case, in batches, asynchronously, and the bundle records them", async () => {
      const since = Date.now();

      const result = await h.cli(["backfill", "--outputs", h.outputsFile, "--prefix", "old/", "--batch-size", "2", "--json"]);

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ listed: 5, images: 4, sent: 3, events: 2, alreadyRecorded: 1 });
      const invocations = h.invocations(since);
      expect(invocations.map((i) => i.type)).toEqual(["Event", "Event"]);
      // Batches are filled after the recorded objects are left out. (The proxy records invocations
      // as they finish, and they run side by side: compare without their order.)
      expect(invocations.map((i) => i.payload.Records.length).sort()).toEqual([1, 2]);
      expect(invocations.flatMap((i) => keysOfPayload(i.payload)).sort()).toEqual(["old/Two.JPG", "old/one.jpg", "old/sub/three.Png"]);
      for (const record of invocations.flatMap((i) => i.payload.Records)) {
        expect(record).toMatchObject({ eventName: BACKFILL_EVENT, s3: { bucket: { name: h.bucket } } });
      }

      await deliver(invocations);

      expect(await item("old/Two.JPG")).toMatchObject({ Status: "processed", DetectedFormat: "jpeg", Width: 64, Height: 48 });
      expect(await item("old/sub/three.Png")).toMatchObject({ Status: "processed", DetectedFormat: "png" });
      expect(await item("old/notes.txt")).toBeUndefined();
    });

    it("never replaces an item recorded from a real upload event, even when a backfill event for it reaches the function", async () => {
      const before = await item("old/four.jpeg");
      const since = Date.now();

      const result = await h.cli(["backfill", "--outputs", h.outputsFile, "--prefix", "old/four", "--json"]);
      // What a backfill sends when its check races a real upload: the event for the recorded version.
      const raced = {
        Records: [
          backfillRecord(h.bucket, h.region, {
            key: "old/four.jpeg",
            versionId: before.VersionId,
            size: before.FileSize,
            lastModified: new Date(),
          }),
        ],
      };
      const outcome = await handler(raced);

      expect(JSON.parse(result.stdout)).toMatchObject({ images: 1, alreadyRecorded: 1, sent: 0 });
      expect(h.invocations(since)).toEqual([]);
      expect(outcome.results[0].saved).toBe("stale");
      expect(await item("old/four.jpeg")).toEqual(before);
    });

    it("reprocesses only items an older processor version wrote, keeping their sequencer", async () => {
      const stale = await item("old/one.jpg");
      await h.documents.send(
        new UpdateCommand({
          TableName: h.table,
          Key: { ImageId: stale.ImageId },
          UpdateExpression: "SET ProcessorVersion = :v, Width = :w",
          ExpressionAttributeValues: { ":v": "0.1.0", ":w": 1 },
        }),
      );
      const since = Date.now();

      const result = await h.cli(["backfill", "--outputs", h.outputsFile, "--prefix", "old/", "--reprocess", "--json"]);

      expect(JSON.parse(result.stdout)).toMatchObject({ sent: 1, reprocessed: 1, alreadyRecorded: 3 });
      const [invocation] = h.invocations(since);
      expect(keysOfPayload(invocation.payload)).toEqual(["old/one.jpg"]);
      expect(invocation.payload.Records[0]).toMatchObject({
        eventName: REPROCESS_EVENT,
        s3: { object: { sequencer: stale.Sequencer, versionId: stale.VersionId } },
      });
      await deliver([invocation]);
      expect(await item("old/one.jpg")).toMatchObject({ ProcessorVersion: PROCESSOR_VERSION, Width: 64, Sequencer: stale.Sequencer });
    });

    it("takes only objects modified since --since, and stops cleanly on Ctrl-C with the key to resume after", async () => {
      for (let i = 0; i < 6; i++) await upload(h, `batch/${i}.jpg`, image("baseline-exif.jpg"));
      const since = Date.now();
      const stop = new AbortController();
      const later = new Date(Date.now() + 3600_000).toISOString();

      const none = await h.cli(["backfill", "--outputs", h.outputsFile, "--since", later, "--json"]);
      const runStarted = Date.now();
      const pending = h.cli(["backfill", "--outputs", h.outputsFile, "--prefix", "batch/", "--batch-size", "1", "--rate", "2"], {
        signal: stop.signal,
      });
      // Ctrl-C once two events are out (a fixed delay failed on a loaded CI machine).
      await h.invoked(2, runStarted);
      stop.abort();
      const interrupted = await pending;
      const resumeAfter = /--start-after "([^"]+)"/.exec(interrupted.stderr)?.[1];
      const resumedAt = Date.now();
      const resumed = await h.cli(["backfill", "--outputs", h.outputsFile, "--prefix", "batch/", "--start-after", resumeAfter!, "--json"]);

      expect(JSON.parse(none.stdout)).toMatchObject({ images: 0, sent: 0 });
      expect(interrupted.code).toBe(130);
      expect(resumeAfter).toMatch(/^batch\/\d\.jpg$/);
      expect(resumed.code).toBe(0);
      const sent = h.invocations(since).flatMap((i) => keysOfPayload(i.payload));
      expect([...new Set(sent)].sort()).toEqual(["batch/0.jpg", "batch/1.jpg", "batch/2.jpg", "batch/3.jpg", "batch/4.jpg", "batch/5.jpg"]);
      // --rate 2 with one record per event: the nth event goes no sooner than n half-seconds after the run
      // started. (The schedule is from the start, so a late event does not push the next back: bound each
      // from the start, not from the one before.)
      const interruptedRun = h
        .invocations(since)
        .filter((i) => i.at < resumedAt)
        .sort((a, b) => a.at - b.at);
      expect(interruptedRun.length).toBeGreaterThanOrEqual(2);
      expect(interruptedRun.length).toBeLessThan(6);
      for (const [n, invocation] of interruptedRun.entries()) expect(invocation.at - runStarted).toBeGreaterThanOrEqual((n + 1) * 500);
    });

    it("counts refused invocations as failed, exits 1 and says where to resume", async () => {
      await upload(h, "refused/a.jpg", image("baseline-exif.jpg"));
      await upload(h, "refused/b.jpg", image("baseline-exif.jpg"));
      h.proxy.setFaults({ rate: 1, services: ["lambda"], path: /\/invocations$/, seed: 7 });
      const result = await h
        .cli(["backfill", "--outputs", h.outputsFile, "--prefix", "refused/", "--batch-size", "1", "--json"])
        .finally(() => h.proxy.setFaults({ rate: 0, services: [], seed: 1 }));

      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ sent: 2, failed: 2 });
      expect(result.stderr).toContain("2 objects were not sent: run the same command with no --start-after to retry them");
    });

    it("says so when there is nothing under the prefix", async () => {
      const result = await h.cli(["backfill", "--outputs", h.outputsFile, "--prefix", "nothing-here/"]);

      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`bucket ${h.bucket} has no objects under "nothing-here/": nothing to backfill`);
    });
  });

  describe("dead-letters replay", () => {
    const failureRecord = (functionArn: string, payload: object) =>
      JSON.stringify({
        version: "1.0",
        timestamp: new Date().toISOString(),
        requestContext: {
          requestId: "r1",
          functionArn: `${functionArn}:$LATEST`,
          condition: "RetriesExhausted",
          approximateInvokeCount: 3,
        },
        requestPayload: payload,
        responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
        responsePayload: { errorType: "RecordsFailedError", errorMessage: "1 record(s) failed and will be retried" },
      });

    // Emptied by hand: moto, like SQS, allows one PurgeQueue a minute.
    beforeEach(async () => {
      for (;;) {
        const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: h.deadLetterQueueUrl, MaxNumberOfMessages: 10 }));
        if (!Messages?.length) return;
        for (const m of Messages)
          await h.sqs.send(new DeleteMessageCommand({ QueueUrl: h.deadLetterQueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    });

    it("re-invokes each failure record's original event, deletes it once accepted, and leaves what it cannot replay", async () => {
      const failed = await upload(h, "dlq/failed.jpg", image("baseline-exif.jpg"), "image/jpeg");
      const send = (body: string) => h.sqs.send(new SendMessageCommand({ QueueUrl: h.deadLetterQueueUrl, MessageBody: body }));
      await send(failureRecord(h.functionArn, failed.event));
      await send("not json at all");
      await send(failureRecord("arn:aws:lambda:us-east-1:123456789012:function:SomeoneElse", failed.event));
      const since = Date.now();

      const dry = await h.cli(["dead-letters", "replay", "--outputs", h.outputsFile, "--dry-run"]);
      const afterDry = h.invocations(since);
      const result = await h.cli(["dead-letters", "replay", "--outputs", h.outputsFile, "--json"]);

      expect(dry.stdout).toContain("would replay");
      expect(dry.stdout).toContain("dlq/failed.jpg");
      expect(afterDry).toEqual([]);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ received: 3, replayed: 1, left: 2, failed: 0 });
      expect(result.stderr).toContain("not a Lambda failure record (the body is not JSON)");
      expect(result.stderr).toContain("it failed in arn:aws:lambda:us-east-1:123456789012:function:SomeoneElse");
      const invocations = h.invocations(since);
      expect(invocations.map((i) => i.payload)).toEqual([failed.event]);
      const attributes = await h.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: h.deadLetterQueueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      // What it could not replay is back in the queue, visible at once.
      expect(attributes.Attributes).toMatchObject({ ApproximateNumberOfMessages: "2", ApproximateNumberOfMessagesNotVisible: "0" });
      await deliver(invocations);
      expect(await item("dlq/failed.jpg")).toMatchObject({ Status: "processed" });
    });

    it("replays at most --max messages", async () => {
      for (let i = 0; i < 3; i++) {
        const event = (await upload(h, `dlq/max-${i}.jpg`, image("baseline-exif.jpg"))).event;
        await h.sqs.send(new SendMessageCommand({ QueueUrl: h.deadLetterQueueUrl, MessageBody: failureRecord(h.functionArn, event) }));
      }
      const since = Date.now();

      const result = await h.cli(["dead-letters", "replay", "--outputs", h.outputsFile, "--max", "2", "--json"]);

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ received: 2, replayed: 2 });
      expect(h.invocations(since)).toHaveLength(2);
    });

    it("still replays through replay-dead-letters, the command of earlier releases, saying what replaces it", async () => {
      const event = (await upload(h, "dlq/deprecated.jpg", image("baseline-exif.jpg"))).event;
      await h.sqs.send(new SendMessageCommand({ QueueUrl: h.deadLetterQueueUrl, MessageBody: failureRecord(h.functionArn, event) }));
      const since = Date.now();

      const result = await h.cli(["replay-dead-letters", "--outputs", h.outputsFile, "--json"]);

      expect(result.code).toBe(0);
      expect(result.stderr).toBe(
        "image-pipeline: `replay-dead-letters` is deprecated and goes in the next release: use `dead-letters replay`\n",
      );
      expect(JSON.parse(result.stdout)).toMatchObject({ received: 1, replayed: 1, left: 0 });
      expect(h.invocations(since).map((i) => i.payload)).toEqual([event]);
    });
  });

  describe("report and query", () => {
    beforeAll(async () => {
      const bad = await upload(h, "report/bad.jpg", "this is not a jpeg");
      await handler(bad.event);
    });

    it("reports today's items by status through the time index, the latest problems, and the dead letters waiting", async () => {
      const items = await scanTable(h);
      const today = new Date().toISOString().slice(0, 10);

      const result = await h.cli(["report", "--outputs", h.outputsFile, "--days", "2", "--json"]);
      const table = await h.cli(["report", "--outputs", h.outputsFile]);

      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.days).toHaveLength(2);
      expect(report.days[1]).toEqual({
        day: today,
        processed: items.filter((i) => i.Status === "processed" && i.UploadDate === today).length,
        rejected: items.filter((i) => i.Status === "rejected" && i.UploadDate === today).length,
        missing: 0,
        unreadable: 0,
        deleted: items.filter((i) => i.Status === "deleted" && i.UploadDate === today).length,
        total: items.filter((i) => i.UploadDate === today && i.Status !== "invalid-event").length,
      });
      expect(report.latestProblems[0]).toMatchObject({ status: "rejected", key: "report/bad.jpg", reason: expect.stringMatching(/\S/) });
      expect(report.deadLetters).toEqual({ waiting: expect.any(Number), inFlight: expect.any(Number) });
      // moto 5.2.5 does not serve the SDK's CloudWatch protocol: the report says so and goes on (unit tests cover alarms in ALARM).
      expect(report.alarms).toEqual({ unavailable: expect.stringMatching(/\S/) });
      expect(table.stdout).toContain("Items per day by status");
      expect(table.stdout).toContain("report/bad.jpg");
    });

    it("queries a time range as a table, JSON lines or CSV, optionally by status", async () => {
      const from = new Date(Date.now() - 3600_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const all = (await scanTable(h)).filter((i) => i.UploadTimestamp * 1000 >= Date.parse(from));

      const jsonl = await h.cli(["query", "--outputs", h.outputsFile, "--from", from, "--to", to, "--format", "jsonl"]);
      const csv = await h.cli(["query", "--outputs", h.outputsFile, "--from", from, "--to", to, "--status", "rejected", "--format", "csv"]);
      const table = await h.cli(["query", "--outputs", h.outputsFile, "--from", from, "--to", to]);

      const rows = jsonl.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(rows.map((r) => r.ImageId).sort()).toEqual(all.map((i) => i.ImageId).sort());
      const lines = csv.stdout.trim().split("\n");
      expect(lines[0]).toBe("UploadTime,Status,ObjectKey,VersionId,DetectedFormat,Width,Height,FileSize,Reason");
      expect(lines.slice(1).every((l) => l.includes(",rejected,"))).toBe(true);
      expect(lines.some((l) => l.includes("report/bad.jpg"))).toBe(true);
      expect(table.stdout).toContain("old/Two.JPG");
    });
  });

  describe("naming and configuration as operators give them", () => {
    it("takes the pipeline's options before the command too, as earlier releases' help showed them", async () => {
      const before = await h.cli(["--outputs", h.outputsFile, "report", "--json"]);
      const after = await h.cli(["report", "--outputs", h.outputsFile, "--json"]);

      expect([before.code, before.stderr]).toEqual([0, ""]);
      expect(JSON.parse(before.stdout).days).toEqual(JSON.parse(after.stdout).days);
    });

    it("reads the outputs through terraform output -json in --terraform-dir, and credentials and region from --profile", async () => {
      // A working directory whose state holds the stack's outputs, as after `cdktf deploy`.
      const dir = mkdtempSync(join(tmpdir(), "terraform-dir-"));
      const outputs = JSON.parse(readFileSync(h.outputsFile, "utf8"));
      writeFileSync(
        join(dir, "terraform.tfstate"),
        JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "cli-test", outputs, resources: [] }),
      );
      const config = join(dir, "aws-config");
      writeFileSync(config, `[profile ops]\nregion = ${h.region}\naws_access_key_id = testing\naws_secret_access_key = testing\n`);

      const result = await h.cli(["report", "--terraform-dir", dir, "--profile", "ops", "--json"], {
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_REGION: undefined,
          AWS_CONFIG_FILE: config,
          AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
        },
      });

      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).deadLetters).toEqual({ waiting: expect.any(Number), inFlight: expect.any(Number) });
    });

    it("stops on SIGINT as a process: exit 130 and the key to resume after", async () => {
      const bundle = join(mkdtempSync(join(tmpdir(), "cli-bundle-")), "image-pipeline.js");
      const since = Date.now();
      await build({
        entryPoints: [join(__dirname, "..", "..", "cli", "index.ts")],
        bundle: true,
        platform: "node",
        target: "node20",
        outfile: bundle,
        logLevel: "error",
      });
      const child = spawn(
        process.execPath,
        [bundle, "backfill", "--outputs", h.outputsFile, "--prefix", "batch/", "--batch-size", "1", "--rate", "1"],
        {
          env: {
            ...process.env,
            AWS_ENDPOINT_URL: h.proxy.endpoint,
            AWS_REGION: h.region,
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
          },
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      // SIGINT once the first event is out: the process has its handler by then, however slow its start.
      await h.invoked(1, since);
      child.kill("SIGINT");

      const code = await exited;

      expect(code).toBe(130);
      expect(stderr).toContain("stopping after the work in flight");
      expect(stderr).toMatch(/interrupted: run the same command with --start-after "batch\/\d\.jpg" to resume/);
    });
  });

  describe("bad input: one clear line and a non-zero exit code", () => {
    it.each([
      [["report", "--env", "nope"], /dead-letter queue ImageProcessor-DLQ-nope not found/],
      [
        ["report", "--outputs", "/nonexistent/outputs.json"],
        /outputs file \/nonexistent\/outputs.json cannot be read: write it with `terraform output -json/,
      ],
      [["report"], /which pipeline\? pass --outputs <file>/],
      [["query", "--env", "dev", "--from", "yesterday", "--to", "2026-01-01"], /--from.*not an ISO 8601 date/],
      [["query", "--env", "Dev_1", "--from", "2026-01-02", "--to", "2026-01-01"], /--env must be 1 to 29 lowercase letters/],
      [["adopt-cloudformation", "--stack", "images-dev"], /adopt-cloudformation needs --env <environment>/],
      [["adopt-cloudformation", "--stack", "images-dev", "--env", "Dev_1"], /--env must be 1 to 29 lowercase letters/],
      [
        ["adopt-cloudformation", "--stack", "images-dev", "--env", "dev", "--name-prefix", "blue"],
        /the original CloudFormation design's resources have no name prefix/,
      ],
      [
        ["adopt-cloudformation", "--stack", "no-such-stack", "--env", "dev"],
        /stack no-such-stack does not exist in us-east-1: nothing to adopt/,
      ],
    ])("%j", async (args, message) => {
      const result = await h.cli(args as string[]);

      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
    });

    it("names the missing credentials", async () => {
      const empty = mkdtempSync(join(tmpdir(), "no-credentials-"));
      const result = await h.cli(["report", "--env", "dev"], {
        env: {
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_PROFILE: undefined,
          AWS_SHARED_CREDENTIALS_FILE: join(empty, "credentials"),
          AWS_CONFIG_FILE: join(empty, "config"),
          AWS_EC2_METADATA_DISABLED: "true",
          AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
          AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        },
      });

      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^image-pipeline: no usable AWS credentials \(.+\): set AWS_PROFILE or --profile/);
    });

    it("names a bucket that is not there, and finds the one --env names by the constructs' rules", async () => {
      const wrong = join(mkdtempSync(join(tmpdir(), "wrong-outputs-")), "outputs.json");
      const outputs = JSON.parse(readFileSync(h.outputsFile, "utf8"));
      writeFileSync(wrong, JSON.stringify({ ...outputs, S3BucketName: { value: "no-such-bucket-here" } }));

      const missing = await h.cli(["backfill", "--outputs", wrong, "--dry-run"]);
      // moto's account is 123456789012, which the synthesized dev stack's bucket name holds too.
      const byName = await h.cli(["backfill", "--env", "dev", "--dry-run", "--json"]);

      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /^image-pipeline: bucket no-such-bucket-here not found \(names from outputs file .+\): check the region/,
      );
      expect(byName.code).toBe(0);
      expect(JSON.parse(byName.stdout).listed).toBeGreaterThan(0);
    });
  });
});
