// A bucket the pipeline does not own, by real Terraform against moto: the bucket is made first, outside
// the pipeline's configuration, with another consumer's notification to its queue and EventBridge
// delivery on; a stack with existingBucket is applied beside it; the other consumer's notification
// is unchanged and still delivers, the images are recorded (the upload's event through the rule and
// the queue Terraform made, handed to the code Terraform deployed), and destroy leaves the bucket
// and its objects. The same team also has its own KMS key, an on-call topic, a queue for notices and
// a VPC, made first as well: after apply, everything the pipeline encrypts uses that key and no key of
// the pipeline's exists, every alarm acts on the on-call topic, a notice published to the topic
// reaches the team's queue, and the function is in the subnets; destroy leaves all of them. (One
// apply for both: each apply of a stack is a minute and a half of the CI's 15.)
// Emulated: Lambda's event source mapping (the deployed zip runs in a worker).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App } from "cdktf";
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateKeyCommand, DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
} from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { EnvironmentStack } from "../../constructs/shipping/environment-stack";
import { image } from "../fixtures";
import { type Context, queuedBatch, withDeployedCode } from "./deploy-cycle";
import { managedResources, terraform, terraformEnvironment, warmPluginCache, writeCliConfig } from "./terraform";

const REGION = "eu-west-1";
const ACCOUNT = "123456789012";
const BUCKET = "team-shared-uploads";
const OTHER = "other-consumer";
const GAPS: { replan: { type: string; attribute: string }[] } = JSON.parse(readFileSync(join(__dirname, "emulator-gaps.json"), "utf8"));
/** The emulator's listed gap: its GetBucketNotificationConfiguration leaves EventBridgeConfiguration out. */
const eventBridgeReadGap = GAPS.replan.some((gap) => gap.type === "aws_s3_bucket_notification" && gap.attribute === "eventbridge");
const ROOT = join(__dirname, "..", "..");

/** boto3 (installed with moto) for what the pinned JS SDKs cannot ask moto: EC2 set-up, and alarms over CloudWatch's query protocol. */
function boto3(endpoint: string, script: string): any {
  const python = join(dirname(process.env.MOTO_SERVER ?? join(ROOT, ".venv", "bin", "moto_server")), "python");
  const prelude = [
    "import boto3, json, sys",
    "client = lambda name: boto3.client(name, endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id='testing', aws_secret_access_key='testing')",
  ];
  const result = spawnSync(python, ["-c", [...prelude, script].join("\n"), endpoint, REGION], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`boto3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The team's own key, on-call topic, notices queue and network, made outside the pipeline. */
async function makeTeamResources(endpoint: string, kms: KMSClient, sns: SNSClient, sqs: SQSClient) {
  const key = (await kms.send(new CreateKeyCommand({ Description: "platform key" }))).KeyMetadata!.Arn!;
  const onCall = (await sns.send(new CreateTopicCommand({ Name: "platform-on-call" }))).TopicArn!;
  const notices = (await sqs.send(new CreateQueueCommand({ QueueName: "platform-image-notices" }))).QueueUrl!;
  const network = boto3(
    endpoint,
    [
      "ec2 = client('ec2')",
      "vpc = ec2.create_vpc(CidrBlock='10.0.0.0/16')['Vpc']['VpcId']",
      "subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f'10.0.{i}.0/24')['Subnet']['SubnetId'] for i in (1, 2)]",
      "sg = ec2.create_security_group(GroupName='image-functions', Description='HTTPS out', VpcId=vpc)['GroupId']",
      "print(json.dumps({'subnets': subnets, 'sg': sg}))",
    ].join("\n"),
  );
  return { key, onCall, notices, noticesArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:platform-image-notices`, ...network } as {
    key: string;
    onCall: string;
    notices: string;
    noticesArn: string;
    subnets: string[];
    sg: string;
  };
}

describe("existingBucket under real Terraform", () => {
  const endpoint = process.env.MOTO_ENDPOINT!;
  const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
  const s3 = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials });
  const sqs = new SQSClient({ endpoint, region: REGION, credentials });
  const dynamodb = new DynamoDBClient({ endpoint, region: REGION, credentials });
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const [kms, sns, lambda] = [
    new KMSClient({ endpoint, region: REGION, credentials }),
    new SNSClient({ endpoint, region: REGION, credentials }),
    new LambdaClient({ endpoint, region: REGION, credentials }),
  ];
  let work: string;
  afterAll(() => {
    for (const client of [s3, sqs, documents, dynamodb, kms, sns, lambda]) client.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("leaves the owner's bucket, its other consumer and its objects as they were, records the images, and uses the team's own key, topic, queue and VPC", async () => {
    // Arrange: the owner's bucket, its other consumer's notification and EventBridge delivery, made outside the pipeline.
    if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:deploy`");
    work = mkdtempSync(join(tmpdir(), "image-processing-existing-bucket-"));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
    const other = await sqs.send(new CreateQueueCommand({ QueueName: OTHER }));
    const otherConsumer = {
      Id: "other-team",
      QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${OTHER}`,
      Events: ["s3:ObjectCreated:*" as const],
    };
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: BUCKET,
        NotificationConfiguration: { QueueConfigurations: [otherConsumer], EventBridgeConfiguration: {} },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "already/there.txt", Body: "the owner's" }));
    const before = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: BUCKET }));
    const team = await makeTeamResources(endpoint, kms, sns, sqs);

    const outdir = join(work, "cdktf.out");
    const app = new App({ outdir });
    new EnvironmentStack(app, "image-processing-shared", {
      environment: "shared",
      region: REGION,
      dataProtection: false,
      eventDelivery: "eventbridge",
      existingBucket: { name: BUCKET },
      existingKmsKeyArn: team.key,
      alarmActions: [team.onCall],
      subscriptions: [{ protocol: "sqs", endpoint: team.noticesArn }],
      vpc: { subnetIds: team.subnets, securityGroupIds: [team.sg] },
    });
    app.synth();
    const dir = join(outdir, "stacks", "image-processing-shared");
    const env = terraformEnvironment(endpoint, writeCliConfig(work), REGION);
    await warmPluginCache(join(work, "plugin-cache-warm-up"), env);

    // Act: apply beside the bucket.
    await terraform(dir, env, ["init", "-no-color", "-input=false"]);
    await terraform(dir, env, ["apply", "-no-color", "-input=false", "-auto-approve"]);
    const resources = managedResources(JSON.parse((await terraform(dir, env, ["show", "-json", "-no-color"])).stdout));

    // Assert: nothing of the bucket's is in the state, and its notification configuration is as the owner left it.
    expect(resources.filter((r) => r.type.startsWith("aws_s3_")).map((r) => r.address)).toEqual([]);
    const after = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: BUCKET }));
    expect(after.QueueConfigurations).toEqual(before.QueueConfigurations);
    expect(after.EventBridgeConfiguration).toEqual(eventBridgeReadGap ? undefined : {});

    // Act: an image uploaded by the owner's users.
    const key = "uploads/Cat Photo.JPG";
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: image("baseline-exif.jpg"), ContentType: "image/jpeg" }));

    // Assert: the other consumer still receives its notification...
    const { Messages: otherMessages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: other.QueueUrl, MaxNumberOfMessages: 10 }),
    );
    // (moto's keys in notifications encode "/" too; S3's form encoding either way.)
    const otherKeys = otherMessages.flatMap((m) =>
      (JSON.parse(m.Body!).Records ?? []).map((r: any) => decodeURIComponent(r.s3.object.key.replace(/\+/g, " "))),
    );
    expect(otherKeys).toContain(key);
    // ...and the rule Terraform made put the image's event on the queue Terraform made, which the deployed code records.
    const queue = resources.find((r) => r.type === "aws_sqs_queue" && /^ImageProcessor-Events-shared$/.test(r.values.name))!.values;
    const ctx: Context = { endpoint, region: REGION, env, work, stateBucket: "" };
    const batch = await queuedBatch(ctx, queue);
    const fn = resources.find((r) => r.type === "aws_lambda_function")!.values;
    const { result, codeSha256Matches } = await withDeployedCode(ctx, fn, dir, (invoke) => invoke(batch));
    const table = resources.find((r) => r.type === "aws_dynamodb_table")!.values.name;
    const items = (await documents.send(new ScanCommand({ TableName: table }))).Items ?? [];
    expect({ codeSha256Matches, failures: result.batchItemFailures, queued: batch.Records.length }).toEqual({
      codeSha256Matches: true,
      failures: [],
      queued: 1,
    });
    expect(items.map((i) => [i.BucketName, i.ObjectKey, i.Status])).toEqual([[BUCKET, key, "processed"]]);

    // Assert: the team's own key everywhere, none of the pipeline's.
    expect(resources.filter((r) => r.type.startsWith("aws_kms_"))).toEqual([]);
    const described = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.SSEDescription?.KMSMasterKeyArn).toBe(team.key);
    const topicArn = resources.find((r) => r.type === "aws_sns_topic")!.values.arn;
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.KmsMasterKeyId).toBe(team.key);
    const queueKeys = await Promise.all(
      resources
        .filter((r) => r.type === "aws_sqs_queue")
        .map(
          async (r) =>
            (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: r.values.url, AttributeNames: ["KmsMasterKeyId"] }))).Attributes
              ?.KmsMasterKeyId,
        ),
    );
    expect(queueKeys.length).toBeGreaterThan(1);
    expect(new Set(queueKeys)).toEqual(new Set([team.key]));

    // Assert: every alarm (the event queue's among them) acts on the on-call topic only.
    const alarms = boto3(
      endpoint,
      "print(json.dumps([[a['AlarmName'], a['AlarmActions'], a['OKActions']] for p in client('cloudwatch').get_paginator('describe_alarms').paginate() for a in p['MetricAlarms'] if a['AlarmName'].endswith('-shared')]))",
    );
    // As many as Terraform applied (EventBridge delivery's four among them).
    const applied = resources.filter((r) => r.type === "aws_cloudwatch_metric_alarm");
    expect(applied.length).toBeGreaterThan(10);
    expect(alarms.length).toBe(applied.length);
    for (const [name, actions, ok] of alarms) expect({ name, actions, ok }).toEqual({ name, actions: [team.onCall], ok: [team.onCall] });

    // Assert: the team's own queue is the topic's subscriber, and a notice published to the topic reaches it.
    const subscribers = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect((subscribers.Subscriptions ?? []).map((s) => [s.Protocol, s.Endpoint])).toEqual([["sqs", team.noticesArn]]);
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: "rejected: uploads/x.jpg",
        MessageAttributes: { status: { DataType: "String", StringValue: "rejected" } },
      }),
    );
    const { Messages: notices = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: team.notices, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    expect(notices.map((m) => JSON.parse(m.Body!).Message)).toContain("rejected: uploads/x.jpg");

    // Assert: the function runs in the team's own subnets, with its security group.
    const placed = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.function_name }));
    expect([...(placed.VpcConfig?.SubnetIds ?? [])].sort()).toEqual([...team.subnets].sort());
    expect(placed.VpcConfig?.SecurityGroupIds).toEqual([team.sg]);

    // Act: destroy the pipeline.
    await terraform(dir, env, ["destroy", "-no-color", "-input=false", "-auto-approve"]);

    // Assert: the bucket, its objects and its other consumer's notification stay.
    await expect(s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).resolves.toBeDefined();
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET }));
    expect((versions.Versions ?? []).map((v) => v.Key).sort()).toEqual(["already/there.txt", key]);
    const left = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: BUCKET }));
    expect(left.QueueConfigurations).toEqual(before.QueueConfigurations);
    // ...and so do the team's own key (still usable), topic and queue.
    expect((await kms.send(new DescribeKeyCommand({ KeyId: team.key }))).KeyMetadata?.KeyState).toBe("Enabled");
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn: team.onCall }))).resolves.toBeDefined();
    await expect(sqs.send(new GetQueueAttributesCommand({ QueueUrl: team.notices, AttributeNames: ["QueueArn"] }))).resolves.toBeDefined();
  });
});
