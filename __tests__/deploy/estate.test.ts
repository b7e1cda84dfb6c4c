// A platform team's estate, by real Terraform against moto: its own KMS key, its on-call topic as the
// alarms' action, a queue of its own subscribed to the notices, and subnets and a security group for
// the functions, all made first outside the pipeline's configuration. After apply, everything the
// pipeline encrypts uses that key and no key of the pipeline's exists, every alarm acts on the
// on-call topic, a notice published to the topic reaches the team's queue, and the function is in
// the VPC; destroy leaves the team's key, topic, queue and network in place.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App } from "cdktf";
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
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { EnvironmentStack } from "../../constructs/shipping/environment-stack";
import { managedResources, terraform, terraformEnvironment, warmPluginCache, writeCliConfig } from "./terraform";

const REGION = "eu-west-1";
const ACCOUNT = "123456789012";
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

describe("the estate's key, alarm actions, subscribers and VPC under real Terraform", () => {
  const endpoint = process.env.MOTO_ENDPOINT!;
  const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
  const config = { endpoint, region: REGION, credentials };
  const [kms, sns, sqs, dynamodb, lambda] = [
    new KMSClient(config),
    new SNSClient(config),
    new SQSClient(config),
    new DynamoDBClient(config),
    new LambdaClient(config),
  ];
  let work: string;
  afterAll(() => {
    for (const client of [kms, sns, sqs, dynamodb, lambda]) client.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("encrypts with the team's key, alarms its on-call topic, delivers to its queue, runs in its subnets, and leaves them all", async () => {
    // Arrange: the team's key, on-call topic, notices queue and network, made outside the pipeline.
    if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:deploy`");
    work = mkdtempSync(join(tmpdir(), "image-processing-estate-"));
    const key = (await kms.send(new CreateKeyCommand({ Description: "platform key" }))).KeyMetadata!.Arn!;
    const onCall = (await sns.send(new CreateTopicCommand({ Name: "platform-on-call" }))).TopicArn!;
    const notices = await sqs.send(new CreateQueueCommand({ QueueName: "platform-image-notices" }));
    const noticesArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:platform-image-notices`;
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

    const outdir = join(work, "cdktf.out");
    const app = new App({ outdir });
    new EnvironmentStack(app, "image-processing-estate", {
      environment: "estate",
      region: REGION,
      dataProtection: false,
      existingKmsKeyArn: key,
      alarmActions: [onCall],
      subscriptions: [{ protocol: "sqs", endpoint: noticesArn }],
      vpc: { subnetIds: network.subnets, securityGroupIds: [network.sg] },
    });
    app.synth();
    const dir = join(outdir, "stacks", "image-processing-estate");
    const env = terraformEnvironment(endpoint, writeCliConfig(work), REGION);
    await warmPluginCache(join(work, "plugin-cache-warm-up"), env);

    // Act
    await terraform(dir, env, ["init", "-no-color", "-input=false"]);
    await terraform(dir, env, ["apply", "-no-color", "-input=false", "-auto-approve"]);
    const resources = managedResources(JSON.parse((await terraform(dir, env, ["show", "-json", "-no-color"])).stdout));
    const named = (type: string) => resources.find((r) => r.type === type)!.values;

    // Assert: the team's key everywhere, none of the pipeline's.
    expect(resources.filter((r) => r.type.startsWith("aws_kms_"))).toEqual([]);
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: named("aws_dynamodb_table").name }));
    expect(table.Table?.SSEDescription?.KMSMasterKeyArn).toBe(key);
    const topicArn = named("aws_sns_topic").arn;
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.KmsMasterKeyId).toBe(key);
    const deadLetters = resources.find((r) => r.type === "aws_sqs_queue")!.values;
    const queueAttributes = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: deadLetters.url, AttributeNames: ["KmsMasterKeyId"] }),
    );
    expect(queueAttributes.Attributes?.KmsMasterKeyId).toBe(key);

    // Assert: every alarm acts on the on-call topic only.
    const alarms = boto3(
      endpoint,
      "print(json.dumps([[a['AlarmName'], a['AlarmActions'], a['OKActions']] for p in client('cloudwatch').get_paginator('describe_alarms').paginate() for a in p['MetricAlarms'] if a['AlarmName'].endswith('-estate')]))",
    );
    expect(alarms.length).toBe(9);
    for (const [name, actions, ok] of alarms) expect({ name, actions, ok }).toEqual({ name, actions: [onCall], ok: [onCall] });

    // Assert: the team's queue is subscribed, and a notice published to the topic reaches it.
    const subscriptions = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect((subscriptions.Subscriptions ?? []).map((s) => [s.Protocol, s.Endpoint])).toEqual([["sqs", noticesArn]]);
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: "rejected: uploads/x.jpg",
        MessageAttributes: { status: { DataType: "String", StringValue: "rejected" } },
      }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: notices.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body!).Message)).toEqual(["rejected: uploads/x.jpg"]);

    // Assert: the function runs in the team's subnets, with its security group.
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: named("aws_lambda_function").function_name }));
    expect([...(fn.VpcConfig?.SubnetIds ?? [])].sort()).toEqual([...network.subnets].sort());
    expect(fn.VpcConfig?.SecurityGroupIds).toEqual([network.sg]);

    // Act: destroy the pipeline.
    await terraform(dir, env, ["destroy", "-no-color", "-input=false", "-auto-approve"]);

    // Assert: the team's key is still usable, its topic and queue are still there.
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata?.KeyState).toBe("Enabled");
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn: onCall }))).resolves.toBeDefined();
    await expect(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: notices.QueueUrl, AttributeNames: ["QueueArn"] })),
    ).resolves.toBeDefined();
  });
});
