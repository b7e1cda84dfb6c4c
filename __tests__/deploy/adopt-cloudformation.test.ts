// The move from a running CloudFormation stack of the original CloudFormation design (fixtures/cloudformation-design), end to end
// against moto: the stack made by moto's CloudFormation from the original CloudFormation design's own template, its
// items written by the original CloudFormation design's own Python function, then `image-pipeline
// adopt-cloudformation`, the Retain update, the stack's deletion, real Terraform planning and
// applying the dev stack with the generated import blocks, and `backfill --reprocess` run through
// the bundle Terraform deployed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { imageSize } from "image-size";
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  UpdateStackCommand,
} from "@aws-sdk/client-cloudformation";
import { AssociateKmsKeyCommand, CloudWatchLogsClient, DeleteLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { resourceNames } from "../../constructs/naming/names";
import { parseTemplate } from "../../cli/core/cloudformation-template";
import { KEPT } from "../../cli/core/cloudformation-design";
import { legacyImageId } from "../../functions/image-processor/core/legacy-item";
import { image, cloudFormationDesignTemplate } from "../fixtures";
import { type MotoServer, startMotoServer } from "../helpers/moto-server";
import { runCli } from "../integration/cli-harness";
import { FaultProxy } from "../integration/fault-proxy";
import { eventFor } from "../integration/harness";
import { type Context, prepareJob, withDeployedCode } from "./deploy-cycle";
import { managedResources, terraform, terraformEnvironment, writeCliConfig } from "./terraform";

const ROOT = join(__dirname, "..", "..");
const GAPS = JSON.parse(readFileSync(join(__dirname, "emulator-gaps.json"), "utf8"));
const STACK = "serverless-image-processing-dev";
const ENV = "dev";
const names = resourceNames(ENV);
const bucket = names.bucket("123456789012");
/** The images of the old system: one key overwritten, keys with spaces, a plus sign and non-ASCII. */
const UPLOADS: { key: string; fixture: string; contentType: string }[] = [
  { key: "photos/cat one.jpg", fixture: "baseline-exif.jpg", contentType: "image/jpeg" },
  { key: "photos/dog+bone.png", fixture: "plain.png", contentType: "image/png" },
  { key: "holiday/straße.jpeg", fixture: "late-sof.jpg", contentType: "image/jpeg" },
  { key: "photos/cat one.jpg", fixture: "progressive.jpg", contentType: "image/jpeg" },
];
/** An image the old system recorded and then saw deleted: its item outlives its current version. */
const DELETED = { key: "photos/deleted before the move.png", fixture: "plain.png", contentType: "image/png" };

const sameEntries = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
/** The UTC day the test started: every upload is on this day or the next. */
const FIRST_DAY = new Date().toISOString().slice(0, 10);
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
/** An item's checksum: its attributes in a fixed order. */
const itemChecksum = (item: Record<string, unknown>) =>
  sha256(
    JSON.stringify(
      Object.keys(item)
        .sort()
        .map((k) => [k, item[k]]),
    ),
  );

describe("adopting a running CloudFormation stack of the original CloudFormation design", () => {
  let endpoint: string;
  let ctx: Context;
  let proxy: FaultProxy;
  const region = "us-east-1";
  const config = () => ({ endpoint, region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
  let s3: S3Client;
  let documents: DynamoDBDocumentClient;
  let cfn: CloudFormationClient;
  let outDir: string;
  let before: { objects: Map<string, string>; items: Map<string, string> };
  /** What the closing note reports: counts before and after, the plan's actions, the backfill's summary. */
  const tally: Record<string, unknown> = {};
  const cli = (args: string[]) => runCli(args, { AWS_ENDPOINT_URL: proxy.endpoint, AWS_REGION: region });

  /** Every object version with the checksum of its bytes, by key and version id. */
  const objectVersions = async () => {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const versions = new Map<string, string>();
    for (const v of listed.Versions ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
      versions.set(`${v.Key}@${v.VersionId}`, sha256(await body.Body!.transformToByteArray()));
    }
    return versions;
  };
  const items = async () => (await documents.send(new ScanCommand({ TableName: names.table }))).Items ?? [];
  const itemChecksums = async () => new Map((await items()).map((i) => [i.ImageId as string, itemChecksum(i)]));

  /**
   * Runs `work` with the bucket's policy lifted when the emulator's listed gap (emulator-gaps.json,
   * "process") denies object requests under it, as the deploy test does; puts the policy back.
   */
  const pastPolicyGap = async <T>(work: () => Promise<T>): Promise<T> => {
    const policy = await s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then(
      (p) => p.Policy,
      () => undefined,
    );
    if (!policy || !GAPS.process.some((gap: any) => gap.type === "aws_s3_bucket_policy")) return work();
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    try {
      return await work();
    } finally {
      await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    }
  };

  let moto: MotoServer | undefined;
  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), "image-processing-adopt-"));
    // A server of its own: the original CloudFormation design's dev names are the deploy test's too, and the files run side by side.
    moto = await startMotoServer(join(work, "moto.log"));
    endpoint = moto.endpoint;
    ctx = {
      endpoint,
      region,
      work,
      stateBucket: "adopt-test-terraform-state",
      env: terraformEnvironment(endpoint, writeCliConfig(work), region),
    };
    outDir = join(work, "adopt");
    s3 = new S3Client({ ...config(), forcePathStyle: true });
    documents = DynamoDBDocumentClient.from(new DynamoDBClient(config()));
    cfn = new CloudFormationClient(config());
    proxy = await new FaultProxy(new URL(endpoint)).start();
    proxy.recordBodies(["lambda"]);
    await s3.send(new CreateBucketCommand({ Bucket: ctx.stateBucket }));
  });
  afterAll(async () => {
    console.log(`adoption tally:\n${JSON.stringify(tally, null, 2)}`);
    await proxy?.stop();
    moto?.stop();
  });

  it("runs the original CloudFormation design as CloudFormation made it, with items its Python function wrote", async () => {
    const template = parseTemplate(cloudFormationDesignTemplate());
    // moto cannot run the custom resource's Lambda function (it needs Docker): that one resource is
    // left out, and what it would have done, the bucket's three suffix notifications, is done below.
    delete template.Resources!.S3BucketNotification;
    await cfn.send(
      new CreateStackCommand({
        StackName: STACK,
        TemplateBody: JSON.stringify(template),
        // Both given: moto's UpdateStack cannot take UsePreviousValue for a parameter left to its default.
        Parameters: [
          { ParameterKey: "EnvironmentSuffix", ParameterValue: ENV },
          { ParameterKey: "NotificationEmail", ParameterValue: "images-team@example.com" },
        ],
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    // The emulator's listed gap (emulator-gaps.json, "adopt"): shown, then versioning turned on as the template asks.
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(versioning.Status === "Enabled").toBe(!GAPS.adopt.some((gap: any) => gap.type === "cloudformation:AWS::S3::Bucket"));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const functionArn = `arn:aws:lambda:${region}:123456789012:function:${names.function}`;
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [".jpg", ".jpeg", ".png"].map((suffix) => ({
            LambdaFunctionArn: functionArn,
            Events: ["s3:ObjectCreated:*"],
            Filter: { Key: { FilterRules: [{ Name: "suffix", Value: suffix }] } },
          })),
        },
      }),
    );

    const oldFunction = writeOldFunction(template, ctx.work);
    for (const upload of [...UPLOADS, DELETED]) {
      const body = image(upload.fixture);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: upload.key, Body: body, ContentType: upload.contentType }));
      runOldFunction(oldFunction, eventFor({ region, bucket }, upload.key, body.length, put).event, ctx);
    }
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: DELETED.key }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "docs/readme.txt", Body: "not an image" }));

    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0];
    const written = await items();
    expect(stack.StackStatus).toBe("CREATE_COMPLETE");
    // One item per key, under the MD5 of "bucket/key", with a full timestamp as UploadDate.
    expect(written.map((i) => i.ImageId).sort()).toEqual(
      [...new Set([...UPLOADS, DELETED].map((u) => legacyImageId(bucket, u.key)))].sort(),
    );
    for (const item of written) {
      expect(item).toMatchObject({ Status: "processed", UploadDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/) });
      expect(item.ProcessorVersion).toBeUndefined();
    }
  }, 120_000);

  it("reports what it found and what happens to each resource, and writes the Retain template, both import files and the runbook", async () => {
    const result = await cli(["adopt-cloudformation", "--stack", STACK, "--env", ENV, "--out-dir", outDir, "--json"]);

    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const fate = Object.fromEntries(report.findings.map((f: any) => [f.logicalId, f.fate]));
    expect(fate).toMatchObject({
      ImageStorageBucket: "kept",
      ImageMetadataTable: "kept",
      ProcessingNotificationTopic: "kept",
      LambdaLogGroup: "kept",
      ImageProcessorLambda: "deleted",
      LambdaExecutionRole: "deleted",
      LambdaErrorAlarm: "deleted",
      MonitoringDashboard: "deleted",
    });
    expect(report.retained).toBe(false);
    const retain = JSON.parse(readFileSync(report.files.template, "utf8"));
    for (const id of [
      "ImageStorageBucket",
      "ImageStorageBucketPolicy",
      "ImageMetadataTable",
      "ProcessingNotificationTopic",
      "LambdaLogGroup",
    ]) {
      expect(retain.Resources[id]).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    }
    expect(retain.Resources.ImageProcessorLambda.DeletionPolicy).toBeUndefined();
    expect(readFileSync(report.files.moduleImports, "utf8")).toContain(`to = module.image_processing.aws_dynamodb_table.`);
    expect(readFileSync(report.files.runbook, "utf8")).toContain(`backfill --env ${ENV} --region ${region} --reprocess`);
  });

  it("keeps every kept resource through the Retain update and the stack's deletion", async () => {
    const retainTemplate = readFileSync(join(outDir, `${STACK}.retain.template.json`), "utf8");
    await cfn.send(
      new UpdateStackCommand({
        StackName: STACK,
        TemplateBody: retainTemplate,
        Parameters: ["EnvironmentSuffix", "NotificationEmail"].map((ParameterKey) => ({ ParameterKey, UsePreviousValue: true })),
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    const confirm = await cli(["adopt-cloudformation", "--stack", STACK, "--env", ENV, "--out-dir", outDir]);
    const updated = parseTemplate((await cfn.send(new GetTemplateCommand({ StackName: STACK }))).TemplateBody!);
    await cfn.send(new DeleteStackCommand({ StackName: STACK }));
    // A gap upload: stored while no function listens, recorded by the backfill.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "gap/new.png", Body: image("plain.png"), ContentType: "image/png" }));
    before = { objects: await objectVersions(), items: await itemChecksums() };
    tally.before = { objectVersions: before.objects.size, items: before.items.size };

    for (const id of KEPT) expect(updated.Resources![id]).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    if (GAPS.adopt.some((gap: any) => gap.type === "cloudformation:UpdateStack")) {
      // The emulator's listed gap (emulator-gaps.json, "adopt"), shown: the template read back above stands in for the confirm run.
      expect(confirm.stderr).toContain("ImageMetadataTable has no physical id in the stack");
    } else {
      expect(confirm).toMatchObject({ code: 0, stdout: expect.stringContaining("Every kept resource is retained") });
    }
    expect(
      await new LambdaClient(config()).send(new GetFunctionConfigurationCommand({ FunctionName: names.function })).catch((e) => e.name),
    ).toBe("ResourceNotFoundException");
    // The deleted key's version stays, noncurrent, behind its delete marker.
    expect(before.objects.size).toBe(UPLOADS.length + 3);
    expect(before.items.size).toBe(4);
  }, 120_000);

  it("refuses a second run on the deleted stack's name, writing nothing", async () => {
    const elsewhere = join(ctx.work, "second-run");

    const result = await cli(["adopt-cloudformation", "--stack", STACK, "--env", ENV, "--out-dir", elsewhere]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`stack ${STACK} does not exist in ${region}: nothing to adopt`);
    expect(existsSync(elsewhere)).toBe(false);
  });

  it.each<[string, string, (template: any) => any, string]>([
    [
      "another template",
      "not-the-design-staging",
      () => ({ Resources: { Queue: { Type: "AWS::SQS::Queue" } } }),
      "resource Queue (AWS::SQS::Queue) is not part of the original CloudFormation design",
    ],
    [
      "a renamed table",
      "renamed-table-staging",
      (template) => ({
        ...template,
        Resources: {
          ...template.Resources,
          ImageMetadataTable: {
            ...template.Resources.ImageMetadataTable,
            Properties: { ...template.Resources.ImageMetadataTable.Properties, TableName: "Images-staging" },
          },
        },
      }),
      "ImageMetadataTable is Images-staging; the pipeline's staging names it ImageMetadata-staging",
    ],
  ])("refuses %s deployed by CloudFormation, writing nothing and leaving the stack as it was", async (_, stackName, change, expected) => {
    const template = change(parseTemplate(cloudFormationDesignTemplate()));
    delete template.Resources.S3BucketNotification;
    const parameters = template.Parameters ? [{ ParameterKey: "EnvironmentSuffix", ParameterValue: "staging" }] : [];
    await cfn.send(
      new CreateStackCommand({
        StackName: stackName,
        TemplateBody: JSON.stringify(template),
        Parameters: parameters,
        Capabilities: ["CAPABILITY_IAM"],
      }),
    );
    const refusedDir = join(ctx.work, `refused-${stackName}`);

    const result = await cli(["adopt-cloudformation", "--stack", stackName, "--env", "staging", "--out-dir", refusedDir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`refusing to adopt stack ${stackName}; nothing was written or changed`);
    expect(result.stderr).toContain(expected);
    expect(existsSync(refusedDir)).toBe(false);
    const after = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0];
    expect(after.StackStatus).toBe("CREATE_COMPLETE");
    expect(parseTemplate((await cfn.send(new GetTemplateCommand({ StackName: stackName }))).TemplateBody!)).toEqual(template);
  });

  describe("then Terraform, with the import blocks", () => {
    let plan: any;
    let stackDir: string;
    let logGroupGap: boolean;

    beforeAll(async () => {
      stackDir = prepareJob(
        { name: "image-processing-dev", kind: "stack", rootDir: ".", vars: [], instances: 1, withDerivatives: [], withEventBridge: [] },
        ctx,
        "adopt",
      );
      copyFileSync(join(outDir, "imports.cdktf.tf"), join(stackDir, "imports.cdktf.tf"));
      logGroupGap = await workAroundLogGroupGap(stackDir, ctx);
      await terraform(stackDir, ctx.env, ["init", "-no-color", `-backend-config=${join(stackDir, "emulator.s3.tfbackend")}`]);
      await terraform(stackDir, ctx.env, ["plan", "-no-color", "-input=false", "-out=adopt.tfplan"]);
      plan = JSON.parse((await terraform(stackDir, ctx.env, ["show", "-json", "adopt.tfplan"])).stdout);
      const managed = plan.resource_changes.filter((c: any) => c.mode === "managed");
      tally.plan = {
        import: managed.filter((c: any) => c.change.importing).length,
        actions: managed.reduce((n: Record<string, number>, c: any) => {
          const action = c.change.actions.join("+");
          n[action] = (n[action] ?? 0) + 1;
          return n;
        }, {}),
      };
    }, 600_000);

    it("plans imports, in-place updates and creations only: no destroy or replace, the bucket and the table imported", () => {
      const changes: any[] = plan.resource_changes.filter((c: any) => c.mode === "managed");
      const imported = changes.filter((c) => c.change.importing).map((c) => c.type);
      const table = changes.find((c) => c.type === "aws_dynamodb_table");

      expect(changes.filter((c) => c.change.actions.includes("delete"))).toEqual([]);
      expect(imported.sort()).toEqual(
        [
          ...(logGroupGap ? [] : ["aws_cloudwatch_log_group"]),
          "aws_dynamodb_table",
          "aws_s3_bucket",
          "aws_s3_bucket_server_side_encryption_configuration",
          "aws_s3_bucket_versioning",
          "aws_sns_topic",
        ].sort(),
      );
      // Worked around only while the emulator still shows its listed gap.
      expect(logGroupGap).toBe(GAPS.adopt.some((gap: any) => gap.type === "aws_cloudwatch_log_group"));
      for (const type of ["aws_s3_bucket", "aws_dynamodb_table"]) {
        expect(changes.filter((c) => c.type === type).map((c) => c.change.actions.join())).toEqual([
          expect.stringMatching(/^(no-op|update)$/),
        ]);
      }
      // The original CloudFormation design's index gives way to the time index in the same table.
      expect(table.change.before.global_secondary_index.map((i: any) => [i.name, i.hash_key])).toEqual([
        ["UploadTimestampIndex", "UploadTimestamp"],
      ]);
      expect(table.change.after.global_secondary_index.map((i: any) => [i.name, i.hash_key, i.range_key])).toEqual([
        ["UploadDateIndex", "UploadDate", "UploadTimestamp"],
      ]);
    });

    it("applies, and every object version and every item is still there, unchanged; the time index exists; the bucket notifies the new function", async () => {
      await terraform(stackDir, ctx.env, ["apply", "-no-color", "-input=false", "adopt.tfplan"]);
      const after = { objects: await pastPolicyGap(objectVersions), items: await itemChecksums() };
      const described = (await new DynamoDBClient(config()).send(new DescribeTableCommand({ TableName: names.table }))).Table!;
      const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
      tally.afterApply = {
        objectVersions: after.objects.size,
        items: after.items.size,
        sameObjectChecksums: sameEntries(after.objects, before.objects),
        sameItemChecksums: sameEntries(after.items, before.items),
      };

      expect(after.objects).toEqual(before.objects);
      expect(after.items).toEqual(before.items);
      expect((described.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)).toEqual(["UploadDateIndex"]);
      expect(notification.LambdaFunctionConfigurations?.map((c) => [c.LambdaFunctionArn?.split(":").pop(), c.Filter])).toEqual([
        [names.function, undefined],
      ]);
    }, 600_000);

    it("rewrites the old items in place with backfill --reprocess (a deleted key's as missing), records the gap upload, and every old item answers a time-range query", async () => {
      const since = Date.now();
      // Its HeadObject of the deleted keys is an object request: under the emulator's policy gap too.
      const backfill = await pastPolicyGap(() => cli(["backfill", "--env", ENV, "--reprocess", "--json"]));
      const invocations = proxy.requests.filter((r) => r.service === "lambda" && r.path.endsWith("/invocations") && r.at >= since);
      await pastPolicyGap(() =>
        deliver(
          invocations.map((r) => JSON.parse(r.body!)),
          ctx,
          stackDir,
        ),
      );
      const rewritten = await items();
      tally.backfill = JSON.parse(backfill.stdout);
      tally.afterBackfill = {
        items: rewritten.length,
        withDayUploadDate: rewritten.filter((i) => /^\d{4}-\d\d-\d\d$/.test(i.UploadDate)).length,
      };
      const today = new Date().toISOString().slice(0, 10);
      const answered = await cli([
        "query",
        "--env",
        ENV,
        "--from",
        `${FIRST_DAY}T00:00:00Z`,
        "--to",
        new Date().toISOString(),
        "--format",
        "jsonl",
      ]);

      expect(backfill.code).toBe(0);
      expect(JSON.parse(backfill.stdout)).toMatchObject({ images: 4, adopted: 3, adoptedDeleted: 1, sent: 5, failed: 0 });
      // The same ids as before, and one new item for the gap upload.
      expect(
        rewritten
          .map((i) => i.ImageId)
          .filter((id) => before.items.has(id))
          .sort(),
      ).toEqual([...before.items.keys()].sort());
      expect(rewritten).toHaveLength(before.items.size + 1);
      for (const item of rewritten) {
        const status = item.ObjectKey === DELETED.key ? "missing" : "processed";
        expect(item).toMatchObject({
          UploadDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
          ProcessorVersion: expect.any(String),
          Status: status,
        });
        expect([FIRST_DAY, today]).toContain(item.UploadDate);
      }
      // The key's current version, measured by image-size, under the id the old function gave the key.
      const current = imageSize(image("progressive.jpg"));
      expect(rewritten.find((i) => i.ObjectKey === "photos/cat one.jpg")).toMatchObject({
        DetectedFormat: "jpeg",
        Width: current.width,
        Height: current.height,
        ImageId: legacyImageId(bucket, "photos/cat one.jpg"),
      });
      expect(answered.code).toBe(0);
      const keys = answered.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).ObjectKey);
      expect(keys.sort()).toEqual([...new Set(UPLOADS.map((u) => u.key)), DELETED.key, "gap/new.png"].sort());
    }, 300_000);
  });
});

/**
 * The emulator's listed log-group gap (emulator-gaps.json, "adopt"): shown first (AssociateKmsKey
 * answers 500), then worked around by leaving the old log group to Terraform to make anew.
 */
async function workAroundLogGroupGap(stackDir: string, ctx: Context): Promise<boolean> {
  const logs = new CloudWatchLogsClient({
    endpoint: ctx.endpoint,
    region: ctx.region,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
  });
  const logGroupName = names.logGroup;
  const key = `arn:aws:kms:${ctx.region}:123456789012:key/00000000-0000-0000-0000-000000000000`;
  const gap = await logs.send(new AssociateKmsKeyCommand({ logGroupName, kmsKeyId: key })).then(
    () => false,
    (error) => error.$metadata?.httpStatusCode === 500,
  );
  if (!gap) return false;
  const file = join(stackDir, "imports.cdktf.tf");
  const blocks = readFileSync(file, "utf8").split(/\n(?=# )/);
  writeFileSync(file, blocks.filter((block) => !block.includes("aws_cloudwatch_log_group.")).join("\n"));
  await logs.send(new DeleteLogGroupCommand({ logGroupName }));
  return true;
}

/** The original CloudFormation design's function, as its template holds it, in a folder Python imports it from. */
function writeOldFunction(template: ReturnType<typeof parseTemplate>, work: string): string {
  const dir = join(work, "cloudformation-design-function");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.py"), template.Resources!.ImageProcessorLambda.Properties.Code.ZipFile);
  return dir;
}

/** One invocation of the original CloudFormation design's Python function, with boto3 pointed at the emulator (Lambda's clock is UTC). */
function runOldFunction(dir: string, event: unknown, ctx: Context) {
  const python = join(dirname(process.env.MOTO_SERVER ?? join(ROOT, ".venv", "bin", "moto_server")), "python");
  const result = spawnSync(
    python,
    ["-c", "import json, sys, index\nprint(json.dumps(index.lambda_handler(json.loads(sys.argv[1]), None)))", JSON.stringify(event)],
    {
      cwd: dir,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        TZ: "UTC",
        AWS_ENDPOINT_URL: ctx.endpoint,
        AWS_DEFAULT_REGION: ctx.region,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        METADATA_TABLE: names.table,
        SNS_TOPIC_ARN: `arn:aws:sns:${ctx.region}:123456789012:${names.topic}`,
        ENVIRONMENT: ENV,
      },
    },
  );
  const answer = result.status === 0 ? JSON.parse(result.stdout.trim().split("\n").pop()!) : undefined;
  if (!answer || JSON.parse(answer.body).processed !== 1)
    throw new Error(`the original CloudFormation design's function failed: ${result.stderr}${result.stdout}`);
}

/** What Lambda would do with the accepted invocations: run them through the code Terraform deployed. */
async function deliver(payloads: unknown[], ctx: Context, stackDir: string) {
  const state = JSON.parse((await terraform(stackDir, ctx.env, ["show", "-json"])).stdout);
  const fn = managedResources(state).find((r) => r.type === "aws_lambda_function").values;
  await withDeployedCode(ctx, fn, stackDir, async (invoke) => {
    for (const payload of payloads) await invoke(payload);
  });
}
