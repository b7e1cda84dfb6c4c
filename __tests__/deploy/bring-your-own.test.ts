// Every bring-your-own input given as a reference to a resource created in the same configuration,
// under real Terraform against moto: a team's cdktf stack with the pipeline beside its own key,
// bucket, queue, topic, policies and VPC (validate and plan: no count or for_each waits on a value
// known only after apply, and no owned-bucket resource is planned); and a root that calls the
// packaged module (the release's tree) passing references for every bring-your-own variable, with the
// module's switches beside them (validate, plan, apply, an image processed through the rule and queue
// Terraform made by the code it deployed, destroy).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import * as library from "../../constructs";
import { image } from "../fixtures";
import { BRING_YOUR_OWN, type TeamResources, teamStack } from "../helpers/bring-your-own";
import type { ImageProcessingPipelineProps } from "../../constructs/config/pipeline-props";
import { AWS_PROVIDER_REQUIREMENT } from "../../constructs/shipping/provider-requirements";
import { type Context, packageModuleInto, queuedBatch, withDeployedCode } from "./deploy-cycle";
import { managedResources, terraform, terraformEnvironment, validateAndPlan, warmPluginCache, writeCliConfig } from "./terraform";

const REGION = "us-east-1";
const POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] });

/** A root calling the module with a reference for every bring-your-own variable, its switches beside them. */
const MODULE_ROOT = {
  provider: { aws: { region: REGION } },
  resource: {
    aws_kms_key: { team: { description: "the team's key" }, uploads: { description: "the uploads bucket's key" } },
    aws_s3_bucket: { uploads: { bucket: "team-byo-uploads", force_destroy: true } },
    aws_s3_bucket_versioning: { uploads: { bucket: "${aws_s3_bucket.uploads.id}", versioning_configuration: { status: "Enabled" } } },
    // Its owner turns EventBridge delivery on.
    aws_s3_bucket_notification: { uploads: { bucket: "${aws_s3_bucket.uploads.id}", eventbridge: true } },
    aws_sqs_queue: { notices: { name: "team-byo-notices" } },
    aws_sns_topic: { on_call: { name: "team-byo-on-call" } },
    aws_iam_policy: { baseline: { name: "team-byo-baseline", policy: POLICY }, boundary: { name: "team-byo-boundary", policy: POLICY } },
    aws_vpc: { network: { cidr_block: "10.1.0.0/16" } },
    aws_subnet: {
      a: { vpc_id: "${aws_vpc.network.id}", cidr_block: "10.1.1.0/24" },
      b: { vpc_id: "${aws_vpc.network.id}", cidr_block: "10.1.2.0/24" },
    },
    aws_security_group: { functions: { name: "team-byo-functions", description: "HTTPS out", vpc_id: "${aws_vpc.network.id}" } },
  },
  module: {
    image_processing: {
      source: "../dist/terraform-module",
      environment: "byo",
      data_protection: false,
      event_delivery: "eventbridge",
      create_bucket: false,
      existing_bucket_name: "${aws_s3_bucket.uploads.bucket}",
      use_bucket_kms_key: true,
      existing_bucket_kms_key_arn: "${aws_kms_key.uploads.arn}",
      create_kms_key: false,
      existing_kms_key_arn: "${aws_kms_key.team.arn}",
      alarm_actions: ["${aws_sns_topic.on_call.arn}"],
      subscriptions: { notices: { protocol: "sqs", endpoint: "${aws_sqs_queue.notices.arn}" } },
      role_policy_arns: ["${aws_iam_policy.baseline.arn}"],
      role_permissions_boundary_arn: "${aws_iam_policy.boundary.arn}",
      vpc_subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"],
      vpc_security_group_ids: ["${aws_security_group.functions.id}"],
      derivatives: [{ name: "thumbnail", width: 320, height: 320, fit: "cover" }],
    },
  },
  output: {
    table: { value: "${module.image_processing.dynamodb_table_name}" },
    event_queue_url: { value: "${module.image_processing.event_queue_url}" },
  },
};

describe("bring-your-own inputs given as references, under real Terraform", () => {
  const endpoint = process.env.MOTO_ENDPOINT!;
  const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
  let work: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:deploy`");
    work = mkdtempSync(join(tmpdir(), "image-processing-bring-your-own-"));
    env = terraformEnvironment(endpoint, writeCliConfig(work), REGION);
    await warmPluginCache(join(work, "plugin-cache-warm-up"), env);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A team's own stack and provider, its own resources beside the pipeline given `props` of it: synthesized, validated and planned. */
  async function planTeamStack(name: string, props: (e: TeamResources) => Partial<ImageProcessingPipelineProps>) {
    const outdir = join(work, `cdktf-${name}`);
    const app = new App({ outdir });
    teamStack(app, "team", library, { region: REGION, providerVersion: AWS_PROVIDER_REQUIREMENT.version, pipelines: { Images: props } });
    app.synth();
    const { changes, configured: _, ...validated } = await validateAndPlan(join(outdir, "stacks", "team"), env);
    return {
      name,
      ...validated,
      creates: changes.filter((c: any) => c.change.actions.join() === "create").length,
      others: changes.filter((c: any) => c.change.actions.join() !== "create").map((c: any) => c.address),
      buckets: changes
        .filter((c: any) => c.type === "aws_s3_bucket")
        .map((c: any) => c.change.after.bucket)
        .sort(),
      notifications: changes.filter((c: any) => c.type === "aws_s3_bucket_notification").length,
      keys: changes
        .filter((c: any) => c.type === "aws_kms_key")
        .map((c: any) => c.change.after.description)
        .sort(),
    };
  }

  it("a team's stack with the pipeline given each input of the issue's table by reference, and every one at once, validates and plans creations only", async () => {
    // Arrange, Act: each row of the table alone, side by side.
    const plans = await Promise.all(
      Object.entries(BRING_YOUR_OWN).map(([row, props], i) => planTeamStack(`row-${i}`, props).then((p) => ({ ...p, row }))),
    );
    const byRow = Object.fromEntries(plans.map((p) => [p.row, p]));

    // Assert: valid, planned, creations only.
    for (const p of plans)
      expect({ row: p.row, valid: p.valid, diagnostics: p.diagnostics, planError: p.planError, others: p.others }).toEqual({
        row: p.row,
        valid: true,
        diagnostics: [],
        planError: "",
        others: [],
      });
    for (const p of plans) expect(p.creates).toBeGreaterThan(30);
    // A bucket the pipeline is given: only the team's bucket (and the derivatives part's own), no notification of the pipeline's.
    for (const row of ["existingBucket by name, without a key", "existingBucket with its key"])
      expect({ row, buckets: byRow[row].buckets, notifications: byRow[row].notifications }).toEqual({
        row,
        buckets: ["team-shared-uploads"],
        notifications: 0,
      });
    expect(byRow["every one at once, with derivatives"].buckets).toEqual(["image-derivatives-team-123456789012", "team-shared-uploads"]);
    // A key of the team's: no key of the pipeline's.
    expect(byRow.existingKmsKeyArn.keys).toEqual(["the team's key", "the uploads bucket's key"]);
    expect(byRow["every one at once, with derivatives"].keys).toEqual(["the team's key", "the uploads bucket's key"]);
  }, 1_200_000);

  it("a root passing references for every bring-your-own variable of the module validates, plans, applies, processes an image and destroys", async () => {
    // Arrange: the packaged module beside the root, as the examples have it.
    const job = join(work, "module-root");
    const dir = join(job, "root");
    mkdirSync(dir, { recursive: true });
    packageModuleInto(job);
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(MODULE_ROOT, null, 2));
    const tf = (args: string[], allow?: number[]) => terraform(dir, env, args, allow);

    // Act: validate, plan, apply.
    await tf(["init", "-no-color", "-input=false"]);
    const validation = JSON.parse((await tf(["validate", "-json", "-no-color"], [0, 1])).stdout);
    await tf(["plan", "-no-color", "-input=false", "-out=root.tfplan"]);
    const plan = JSON.parse((await tf(["show", "-json", "root.tfplan"])).stdout);
    await tf(["apply", "-no-color", "-input=false", "root.tfplan"]);
    const state = JSON.parse((await tf(["show", "-json", "-no-color"])).stdout);
    const resources = managedResources(state);
    const ofModule = resources.filter((r) => String(r.address).startsWith("module.image_processing."));

    // Assert: valid, creations only, and nothing of an owned bucket or of a key of the module's.
    expect(validation).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
    const planned = (plan.resource_changes ?? []).filter((c: any) => c.mode === "managed");
    expect(planned.filter((c: any) => c.change.actions.join() !== "create")).toEqual([]);
    expect(ofModule.length).toBeGreaterThan(40);
    expect(
      ofModule.filter((r) => /^aws_s3_bucket/.test(r.type) && !r.address.includes("module.derivatives")).map((r) => r.address),
    ).toEqual([]);
    expect(ofModule.filter((r) => r.type.startsWith("aws_kms_")).map((r) => r.address)).toEqual([]);
    const team = (type: string, name: string) => resources.find((r) => r.address === `${type}.${name}`)!.values;
    const byAddress = (address: string) => ofModule.find((r) => r.address === `module.image_processing.${address}`)?.values;
    // Each reference reached what it is for.
    expect(byAddress("aws_dynamodb_table.metadata").server_side_encryption[0].kms_key_arn).toBe(team("aws_kms_key", "team").arn);
    expect(JSON.parse(byAddress("aws_iam_role_policy.processor_decrypt_images[0]").policy).Statement[0].Resource).toBe(
      team("aws_kms_key", "uploads").arn,
    );
    expect(byAddress('aws_sns_topic_subscription.subscribers["notices"]').endpoint).toBe(team("aws_sqs_queue", "notices").arn);
    expect(byAddress('aws_iam_role_policy_attachment.processor_extra["0"]').policy_arn).toBe(team("aws_iam_policy", "baseline").arn);
    expect(byAddress("aws_iam_role.processor").permissions_boundary).toBe(team("aws_iam_policy", "boundary").arn);
    expect(byAddress("aws_cloudwatch_metric_alarm.errors").alarm_actions).toEqual([team("aws_sns_topic", "on_call").arn]);
    const lambda = new LambdaClient({ endpoint, region: REGION, credentials });
    const placed = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "ImageProcessor-byo" }));
    expect([...(placed.VpcConfig?.SubnetIds ?? [])].sort()).toEqual([team("aws_subnet", "a").id, team("aws_subnet", "b").id].sort());
    lambda.destroy();

    // Act: an image uploaded to the team's bucket, its event through the rule and queue Terraform made, to the deployed code.
    const s3 = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials });
    const key = "uploads/Team Photo.JPG";
    await s3.send(
      new PutObjectCommand({ Bucket: "team-byo-uploads", Key: key, Body: image("baseline-exif.jpg"), ContentType: "image/jpeg" }),
    );
    const ctx: Context = { endpoint, region: REGION, env, work: job, stateBucket: "" };
    const queue = byAddress("aws_sqs_queue.events[0]");
    const batch = await queuedBatch(ctx, queue);
    const fn = byAddress("aws_lambda_function.processor");
    const { result, codeSha256Matches } = await withDeployedCode(ctx, fn, dir, (invoke) => invoke(batch));
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: REGION, credentials }));
    const items = (await documents.send(new ScanCommand({ TableName: "ImageMetadata-byo" }))).Items ?? [];

    // Assert: recorded from the team's bucket.
    expect({ codeSha256Matches, failures: result.batchItemFailures, queued: batch.Records.length }).toEqual({
      codeSha256Matches: true,
      failures: [],
      queued: 1,
    });
    expect(items.map((i) => [i.BucketName, i.ObjectKey, i.Status])).toEqual([["team-byo-uploads", key, "processed"]]);
    const sns = new SNSClient({ endpoint, region: REGION, credentials });
    const subscribers = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: byAddress("aws_sns_topic.notifications").arn }));
    expect((subscribers.Subscriptions ?? []).map((s) => [s.Protocol, s.Endpoint])).toEqual([["sqs", team("aws_sqs_queue", "notices").arn]]);

    // Act: destroy the root.
    await tf(["destroy", "-no-color", "-input=false", "-auto-approve"]);
    const after = JSON.parse((await tf(["show", "-json", "-no-color"])).stdout);

    // Assert
    expect(managedResources(after)).toEqual([]);
    for (const client of [s3, sns, documents]) client.destroy();
  }, 1_200_000);
});
