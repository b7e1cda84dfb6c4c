// Switching a deployed pipeline from S3 notifications to EventBridge delivery loses no upload: the
// packaged module applied with event_delivery "s3-notification" under real Terraform against moto,
// then the switch to "eventbridge" applied while images are uploaded one after another until the
// apply exits (and some after). Every upload must end as an item in the table, and the apply must
// rewrite the bucket's notification only once the EventBridge path exists, and take away the bucket's
// leave to invoke the function only after (on AWS, S3 could not deliver to the function meanwhile).
// Which path each upload took is read from the bucket: its notification configuration asked just
// before and just after the upload (Terraform replaces the whole configuration in one call, so while
// both readings name the function the upload went to the function). moto cannot run the function
// from a notification (emulator-gaps.json, "s3:notification to Lambda"), so the test hands each
// such upload's notification, as S3 sends it, to the deployed code itself; the EventBridge path is
// the emulator's own (its S3 puts the event on EventBridge, the rule Terraform made sends it to the
// queue Terraform made), and the queue is fed to the deployed code as the event source mapping would.
// Part of the terraform-module deploy target (DEPLOY_TARGETS picks it with the module's cycle).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteBucketPolicyCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { DeleteMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { image } from "../fixtures";
import { eventFor } from "../integration/harness";
import { type MotoServer, startMotoServer } from "../helpers/moto-server";
import { type Context, TARGETS, queuedBatch, withDeployedCode } from "./deploy-cycle";
import { managedResources, terraform, terraformEnvironment, warmPluginCache, writeCliConfig } from "./terraform";

const ROOT = join(__dirname, "..", "..");
const GAPS = JSON.parse(readFileSync(join(__dirname, "emulator-gaps.json"), "utf8")).deploy as { type: string }[];
const region = "us-east-1";
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
const MODULE = "module.image_processing.";
/** What has to exist before the bucket sends its events to EventBridge, by address in the module. */
const DELIVERY_PATH = [
  "aws_cloudwatch_event_rule.uploads[0]",
  "aws_sqs_queue_policy.events[0]",
  "aws_cloudwatch_event_target.uploads[0]",
  "aws_lambda_event_source_mapping.processor_events[0]",
];
const NOTIFICATION = "aws_s3_bucket_notification.images[0]";
const PERMISSION = "aws_lambda_permission.allow_image_bucket[0]";

type Path = "notification" | "eventbridge";
interface Upload {
  readonly key: string;
  readonly versionId: string;
  readonly etag: string;
  readonly during: "apply" | "after";
  /** The function named in the bucket's notification configuration just before and just after the upload. */
  readonly functionNotified: [boolean, boolean];
  path?: Path;
}

interface SwitchReport {
  readonly uploads: Upload[];
  readonly applyLines: string[];
  /** Events the rule put on the queue, as key#version. */
  readonly queued: string[];
  readonly batchItemFailures: number;
  readonly invocationFailures: number;
  /** Events the emulator's failed mapping attempts redrove to the event dead-letter queue, as key#version. */
  readonly deadLettered: string[];
  readonly items: Record<string, any>[];
  /** Items in the table before the test ran the deployed code: what the emulator's notifications to the function made. */
  readonly itemsBeforeProcessing: number;
  /** Since the start: the first apply done, the switch applied, every upload processed. */
  readonly seconds: Record<string, number>;
}

const enabled = TARGETS.some((t) => t.name === "terraform-module");
let moto: MotoServer | undefined;
let work: string;
let report: SwitchReport;

(enabled ? describe : describe.skip)("switching a deployed module from S3 notifications to EventBridge delivery", () => {
  beforeAll(async () => {
    const started = Date.now();
    const seconds: Record<string, number> = {};
    work = mkdtempSync(join(tmpdir(), "delivery-switch-"));
    moto = await startMotoServer(join(work, "moto.log"));
    const { endpoint } = moto;
    const env = terraformEnvironment(endpoint, writeCliConfig(work), region);
    await warmPluginCache(join(work, "plugin-cache-warm-up"), env);
    const root = join(work, "root");
    mkdirSync(root, { recursive: true });
    execFileSync(process.execPath, [join(ROOT, "scripts", "package-module.mjs"), "--out", join(root, "image-processing")], {
      cwd: ROOT,
      stdio: "pipe",
    });
    writeFileSync(
      join(root, "main.tf.json"),
      JSON.stringify({
        variable: { event_delivery: { type: "string" } },
        provider: { aws: { region } },
        module: {
          image_processing: {
            source: "./image-processing",
            environment: "switch",
            event_delivery: "${var.event_delivery}",
            force_destroy: true,
            deletion_protection: false,
            data_protection: false,
          },
        },
      }),
    );
    const tf = (args: string[]) => terraform(root, env, args);
    await tf(["init", "-no-color", "-input=false"]);
    await tf(["apply", "-no-color", "-input=false", "-auto-approve", "-var=event_delivery=s3-notification"]);
    seconds.deployed = Math.round((Date.now() - started) / 1000);
    await tf(["plan", "-no-color", "-input=false", "-out=switch.tfplan", "-var=event_delivery=eventbridge"]);
    const before = managedResources(JSON.parse((await tf(["show", "-json"])).stdout));
    const bucket = before.find((r) => r.type === "aws_s3_bucket" && /image-storage-bucket-/.test(r.values.bucket))!.values.bucket;
    const table = before.find((r) => r.type === "aws_dynamodb_table")!.values.name;

    const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials });
    const sqs = new SQSClient({ endpoint, region, credentials });
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region, credentials }));
    const functionNotified = async () =>
      ((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).LambdaFunctionConfigurations ?? []).length > 0;
    // The emulator's listed policy gap (emulator-gaps.json, "process"): the TLS-only Deny refuses every
    // object request, so the bucket's policy is lifted while images go in and are processed (the switch changes no bucket policy).
    const policy = before.find((r) => r.type === "aws_s3_bucket_policy" && r.values.bucket === bucket)!.values.policy;
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    const body = image("baseline-exif.jpg");
    const uploads: Upload[] = [];
    const uploadOne = async (during: Upload["during"]) => {
      const key = `switch/${String(uploads.length).padStart(4, "0")} ${during}.jpg`;
      const notifiedBefore = await functionNotified();
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "image/jpeg" }));
      const notifiedAfter = await functionNotified();
      uploads.push({
        key,
        versionId: put.VersionId!,
        etag: put.ETag!,
        during,
        functionNotified: [notifiedBefore, notifiedAfter],
      });
    };

    // The switch, with uploads arriving until Terraform exits.
    let applying = true;
    const apply = tf(["apply", "-no-color", "-input=false", "switch.tfplan"]).finally(() => {
      applying = false;
    });
    while (applying) {
      await uploadOne("apply");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const applied = await apply;
    seconds.switched = Math.round((Date.now() - started) / 1000);
    const after = managedResources(JSON.parse((await tf(["show", "-json"])).stdout));
    const state = (address: string) => after.find((r) => r.address === `${MODULE}${address}`)!.values;
    // The emulator's listed mapping gap (emulator-gaps.json, "sqs:event source mapping"): each message
    // sent to the queue makes moto receive the queue's messages for the mapping, fail to run the
    // function and put them back, so by this many uploads the first message after the switch has
    // been received maxReceiveCount times and is redriven to the event dead-letter queue.
    const { maxReceiveCount } = JSON.parse(state("aws_sqs_queue_redrive_policy.events[0]").redrive_policy);
    for (let i = 0; i <= maxReceiveCount; i++) await uploadOne("after");

    // What the EventBridge path produced: the queue Terraform made (and, under the gap, its dead-letter
    // queue), fed to the deployed code batch by batch as the event source mapping would.
    const queue = state("aws_sqs_queue.events[0]");
    const deadLetterQueue = state("aws_sqs_queue.events_dead_letter[0]");
    const fn = after.find((r) => r.type === "aws_lambda_function" && !/ImageDerivatives-/.test(r.values.function_name))!.values;
    const itemsBeforeProcessing = ((await documents.send(new ScanCommand({ TableName: table }))).Items ?? []).length;
    const ctx: Context = { endpoint, region, env, work, stateBucket: "" };
    const queued: string[] = [];
    const deadLettered: string[] = [];
    let batchItemFailures = 0;
    let invocationFailures = 0;
    await withDeployedCode(ctx, fn, root, async (invoke) => {
      // The queue first: under the gap, moto redrives on a receive.
      for (const [from, into] of [
        [queue, queued],
        [deadLetterQueue, deadLettered],
      ] as const) {
        for (;;) {
          const batch = await queuedBatch(ctx, from);
          if (batch.Records.length === 0) break;
          for (const record of batch.Records) {
            const { key, "version-id": versionId } = JSON.parse(record.body!).detail.object;
            into.push(`${key}#${versionId}`);
          }
          const result = await invoke(batch).catch(() => undefined);
          if (!result) invocationFailures++;
          batchItemFailures += result?.batchItemFailures?.length ?? 0;
          // As the event source mapping does with a batch that succeeded.
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: from.url,
              Entries: batch.Records.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle! })),
            }),
          );
        }
      }
      // The notification path: the upload's event as S3 sends it to the function.
      for (const upload of uploads) {
        const [before, after] = upload.functionNotified;
        const id = `${upload.key}#${upload.versionId}`;
        upload.path = before && after ? "notification" : !before && !after ? "eventbridge" : undefined;
        // Made while the configuration was being replaced: whichever it reached.
        upload.path ??= queued.includes(id) || deadLettered.includes(id) ? "eventbridge" : "notification";
        if (upload.path !== "notification") continue;
        const { event } = eventFor({ region, bucket }, upload.key, body.length, { ETag: upload.etag, VersionId: upload.versionId });
        if (!(await invoke(event).catch(() => undefined))) invocationFailures++;
      }
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    const items = (await documents.send(new ScanCommand({ TableName: table }))).Items ?? [];
    for (const client of [s3, sqs, documents]) client.destroy();

    report = {
      uploads,
      applyLines: applied.stdout.split("\n"),
      queued,
      deadLettered,
      batchItemFailures,
      invocationFailures,
      items,
      itemsBeforeProcessing,
      seconds: { ...seconds, processed: Math.round((Date.now() - started) / 1000) },
    };
    const tally = (path: Path) => uploads.filter((u) => u.path === path).length;
    console.log(
      `delivery switch: ${JSON.stringify({
        uploads: uploads.length,
        duringApply: uploads.filter((u) => u.during === "apply").length,
        notification: tally("notification"),
        eventbridge: tally("eventbridge"),
        duringTheReplacement: uploads.filter((u) => u.functionNotified[0] !== u.functionNotified[1]).map((u) => `${u.key}: ${u.path}`),
        queued: queued.length,
        deadLettered: deadLettered.length,
        items: items.length,
        seconds: report.seconds,
      })}`,
    );
  }, 600_000);

  afterAll(() => {
    moto?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("writes the bucket's notification configuration only once the rule, its target, the queue policy and the mapping exist, and removes the function's permission after", () => {
    const { applyLines } = report;
    const line = (address: string, phase: string) => applyLines.findIndex((l) => l.startsWith(`${MODULE}${address}: ${phase}`));

    const modifying = line(NOTIFICATION, "Modifying...");
    expect(modifying).toBeGreaterThan(-1);
    const notYetThere = DELIVERY_PATH.filter(
      (address) => !(line(address, "Creation complete") > -1 && line(address, "Creation complete") < modifying),
    );
    expect(notYetThere).toEqual([]);
    // S3 may invoke the function until the notification no longer names it.
    expect(line(PERMISSION, "Destroying...")).toBeGreaterThan(line(NOTIFICATION, "Modifications complete"));
  });

  it("takes uploads to the function while the apply runs, and to EventBridge from the switch on", () => {
    const { uploads } = report;

    expect(uploads.filter((u) => u.during === "apply" && u.path === "notification").length).toBeGreaterThan(0);
    // Once the function is no longer notified, it never is again; the uploads after the apply all go to EventBridge.
    const firstSwitched = uploads.findIndex((u) => !u.functionNotified[1]);
    expect(firstSwitched).toBeGreaterThan(-1);
    expect(uploads.slice(firstSwitched + 1).every((u) => !u.functionNotified[0] && !u.functionNotified[1])).toBe(true);
    expect(uploads.filter((u) => u.during === "after").every((u) => u.path === "eventbridge")).toBe(true);
    // The emulator's listed gaps, shown (each fails once moto no longer has it): the notifications to
    // the function ran nothing, and its own mapping attempts redrove an event to the dead-letter queue.
    expect(report.itemsBeforeProcessing === 0).toBe(GAPS.some((gap) => gap.type === "s3:notification to Lambda"));
    expect(report.deadLettered.length > 0).toBe(GAPS.some((gap) => gap.type === "sqs:event source mapping"));
  });

  it("records every upload as an item: none lost, none twice", () => {
    const { uploads, queued, deadLettered, items } = report;
    const eventBridge = uploads.filter((u) => u.path === "eventbridge").map((u) => `${u.key}#${u.versionId}`);

    // Every upload made once the bucket sent its events to EventBridge reached the queue through the rule (or, under the gap, its dead-letter queue).
    expect(eventBridge.filter((id) => !queued.includes(id) && !deadLettered.includes(id))).toEqual([]);
    expect(report).toMatchObject({ batchItemFailures: 0, invocationFailures: 0 });
    expect(items.map((i) => `${i.ObjectKey}#${i.VersionId}`).sort()).toEqual(uploads.map((u) => `${u.key}#${u.versionId}`).sort());
    expect(items.every((i) => i.Status === "processed")).toBe(true);
  });
});
