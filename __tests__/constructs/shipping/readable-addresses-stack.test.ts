import { Testing, TerraformStack } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DerivativesModuleStack } from "../../../constructs/shipping/derivatives-module-stack";
import { EnvironmentStack } from "../../../constructs/shipping/environment-stack";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";
import { BASE_PROPS } from "../../helpers/synth";
import { RELEASED_ADDRESSES, wasReleased } from "../../../constructs/naming/address-history";

type Tf = { resource: Record<string, Record<string, unknown>>; moved?: { from: string; to: string }[] };
const synth = (stack: TerraformStack): Tf => JSON.parse(Testing.synth(stack));
const addresses = (tf: Tf) =>
  Object.entries(tf.resource)
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();

const FULL = { ...BASE_PROPS, accessLogging: true, notificationEmail: "ops@example.com", derivatives: EXAMPLE_RENDITIONS };

// Public interface: every address a plan reviewer reads and state is keyed by. A change here is a
// rename, and ships with a moved block (constructs/naming/addresses.ts).
const IMAGES = [
  "aws_s3_bucket.images",
  "aws_s3_bucket_lifecycle_configuration.images",
  "aws_s3_bucket_notification.images",
  "aws_s3_bucket_ownership_controls.images",
  "aws_s3_bucket_policy.images",
  "aws_s3_bucket_public_access_block.images",
  "aws_s3_bucket_server_side_encryption_configuration.images",
  "aws_s3_bucket_versioning.images",
];
const ACCESS_LOGS = [
  "aws_s3_bucket.access_logs",
  "aws_s3_bucket_lifecycle_configuration.access_logs",
  "aws_s3_bucket_logging.images",
  "aws_s3_bucket_ownership_controls.access_logs",
  "aws_s3_bucket_policy.access_logs",
  "aws_s3_bucket_public_access_block.access_logs",
  "aws_s3_bucket_server_side_encryption_configuration.access_logs",
  "aws_s3_bucket_versioning.access_logs",
];
const CORE = [
  "aws_cloudwatch_dashboard.pipeline",
  "aws_cloudwatch_log_group.processor",
  "aws_cloudwatch_metric_alarm.async_events_dropped",
  "aws_cloudwatch_metric_alarm.dead_letters",
  "aws_cloudwatch_metric_alarm.destination_delivery_failures",
  "aws_cloudwatch_metric_alarm.duration",
  "aws_cloudwatch_metric_alarm.errors",
  "aws_cloudwatch_metric_alarm.table_write_throttles",
  "aws_cloudwatch_metric_alarm.throttles",
  "aws_cloudwatch_metric_alarm.unreadable",
  "aws_cloudwatch_metric_alarm.rejections",
  "aws_dynamodb_table.metadata",
  "aws_iam_role.processor",
  "aws_iam_role_policy.processor",
  "aws_kms_alias.pipeline",
  "aws_kms_key.pipeline",
  "aws_lambda_function.processor",
  "aws_lambda_function_event_invoke_config.processor",
  "aws_lambda_permission.allow_image_bucket",
  "aws_sns_topic.notifications",
  "aws_sns_topic_policy.notifications",
  "aws_sqs_queue.dead_letter",
  "aws_sqs_queue_policy.dead_letter",
  ...IMAGES,
];
const EVENTS = [
  "aws_cloudwatch_event_rule.uploads",
  "aws_cloudwatch_event_target.uploads",
  "aws_cloudwatch_metric_alarm.event_dead_letters",
  "aws_cloudwatch_metric_alarm.event_queue_age",
  "aws_cloudwatch_metric_alarm.uploads_failed_invocations",
  "aws_cloudwatch_metric_alarm.uploads_lost",
  "aws_iam_role_policy.processor_events",
  "aws_lambda_event_source_mapping.processor_events",
  "aws_sqs_queue.events",
  "aws_sqs_queue.events_dead_letter",
  "aws_sqs_queue_policy.events",
  "aws_sqs_queue_policy.events_dead_letter",
  "aws_sqs_queue_redrive_policy.events",
];
const BATCH = [
  "aws_iam_role.batch_operations",
  "aws_iam_role_policy.batch_operations",
  "aws_s3_bucket.batch_jobs",
  "aws_s3_bucket_lifecycle_configuration.batch_jobs",
  "aws_s3_bucket_ownership_controls.batch_jobs",
  "aws_s3_bucket_policy.batch_jobs",
  "aws_s3_bucket_public_access_block.batch_jobs",
  "aws_s3_bucket_server_side_encryption_configuration.batch_jobs",
  "aws_s3_bucket_versioning.batch_jobs",
];
const DERIVATIVES = [
  "aws_cloudwatch_log_group.derivatives",
  "aws_cloudwatch_metric_alarm.derivatives_dead_letters",
  "aws_cloudwatch_metric_alarm.derivatives_errors",
  "aws_cloudwatch_metric_alarm.derivatives_queue_age",
  "aws_iam_role.derivatives",
  "aws_iam_role_policy.derivatives",
  "aws_iam_role_policy.processor_derivatives_requests",
  "aws_lambda_event_source_mapping.derivatives",
  "aws_lambda_function.derivatives",
  "aws_s3_bucket.derivatives",
  "aws_s3_bucket_lifecycle_configuration.derivatives",
  "aws_s3_bucket_ownership_controls.derivatives",
  "aws_s3_bucket_policy.derivatives",
  "aws_s3_bucket_public_access_block.derivatives",
  "aws_s3_bucket_server_side_encryption_configuration.derivatives",
  "aws_s3_bucket_versioning.derivatives",
  "aws_sqs_queue.derivatives",
  "aws_sqs_queue.derivatives_dead_letter",
  "aws_sqs_queue_policy.derivatives",
  "aws_sqs_queue_policy.derivatives_dead_letter",
  "aws_sqs_queue_redrive_policy.derivatives",
  // Since 0.3.0, named from the start (no moved block): the derivatives bucket's access logging.
  "aws_s3_bucket_logging.derivatives",
];

describe("ReadableAddressesStack", () => {
  it("names every resource of the default stack for what it is", () => {
    const tf = synth(new EnvironmentStack(Testing.app(), "dev", BASE_PROPS));

    expect(addresses(tf)).toEqual([...CORE].sort());
  });

  it("names every resource of a stack with every optional part", () => {
    const tf = synth(new EnvironmentStack(Testing.app(), "full", FULL));

    expect(addresses(tf)).toEqual([...CORE, ...ACCESS_LOGS, ...DERIVATIVES, "aws_sns_topic_subscription.email"].sort());
  });

  it("names EventBridge delivery's resources from the start: readable, without moved blocks, and no invoke permission for the bucket", () => {
    const tf = synth(new EnvironmentStack(Testing.app(), "events", { ...BASE_PROPS, eventDelivery: "eventbridge" }));

    expect(addresses(tf)).toEqual([...CORE.filter((a) => a !== "aws_lambda_permission.allow_image_bucket"), ...EVENTS].sort());
    expect((tf.moved ?? []).filter((m) => EVENTS.includes(m.to))).toEqual([]);
  });

  it("names the team's own resources (more subscribers, VPC policies) from the start: readable and without moved blocks", () => {
    const vpc = { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] };
    const subscriptions = [{ protocol: "email" as const, endpoint: "ops@example.com" }];
    const TEAM_RESOURCES = ["aws_iam_role_policy.processor_vpc", "aws_sns_topic_subscription.subscribers"];
    const tf = synth(new EnvironmentStack(Testing.app(), "team", { ...BASE_PROPS, vpc, subscriptions }));

    expect(addresses(tf)).toEqual([...CORE, ...TEAM_RESOURCES].sort());
    expect((tf.moved ?? []).filter((m) => TEAM_RESOURCES.includes(m.to))).toEqual([]);
  });

  it("names Batch Operations' resources from the start: readable and without moved blocks", () => {
    const tf = synth(new EnvironmentStack(Testing.app(), "batch", { ...BASE_PROPS, batchOperations: true }));

    expect(addresses(tf)).toEqual([...CORE, ...BATCH].sort());
    expect((tf.moved ?? []).filter((m) => BATCH.includes(m.to))).toEqual([]);
  });

  it("names every resource of the module and of its derivatives child module", () => {
    const root = synth(new ImageProcessingModuleStack(Testing.app(), "module"));
    const child = synth(new DerivativesModuleStack(Testing.app(), "derivatives"));

    expect(addresses(root)).toEqual(
      [
        ...CORE,
        ...ACCESS_LOGS,
        ...EVENTS,
        ...BATCH,
        "aws_iam_role_policy.processor_decrypt_images",
        "aws_iam_role_policy_attachment.processor_extra",
        "aws_iam_role_policy.processor_vpc",
        "aws_sns_topic_subscription.email",
        "aws_sns_topic_subscription.subscribers",
      ].sort(),
    );
    expect(addresses(child)).toEqual(
      [
        ...DERIVATIVES.filter((a) => a !== "aws_iam_role_policy.processor_derivatives_requests"),
        "aws_iam_role_policy.derivatives_bucket_key",
        "aws_iam_role_policy_attachment.derivatives_extra",
        "aws_iam_role_policy.derivatives_vpc",
        "aws_iam_role_policy.processor_derivatives_requests",
      ].sort(),
    );
  });

  it("still has every address 0.3.0 had (readable since), in the stacks or the modules: no rename since needs a moved block", () => {
    const now = new Set([
      ...addresses(synth(new EnvironmentStack(Testing.app(), "full", { ...FULL, batchOperations: true }))),
      ...addresses(synth(new ImageProcessingModuleStack(Testing.app(), "module"))),
      ...addresses(synth(new DerivativesModuleStack(Testing.app(), "derivatives"))),
    ]);

    expect(RELEASED_ADDRESSES["0.3.0"].length).toBeGreaterThan(50);
    expect(RELEASED_ADDRESSES["0.3.0"].filter((a) => !now.has(a))).toEqual([]);
  });

  it("moves every resource whose hashed address 0.2.0 had, and no other, to its readable address", () => {
    // Arrange: the same pipeline in a plain stack has cdktf's hashed names, as every stack of 0.2.0 had.
    const plain = new TerraformStack(Testing.app(), "plain");
    new AwsProvider(plain, "aws", { region: BASE_PROPS.region });
    new ImageProcessingPipeline(plain, "Pipeline", FULL);
    const hashed = addresses(synth(plain));
    const released = new Set(RELEASED_ADDRESSES["0.2.0"]);

    // Act
    const tf = synth(new EnvironmentStack(Testing.app(), "full", FULL));

    // Assert: one moved block per resource 0.2.0 had, from its hashed address, same type; none from elsewhere.
    const moved = tf.moved ?? [];
    expect(moved.length).toBeGreaterThan(40);
    expect(moved.map((m) => m.from).sort()).toEqual(hashed.filter((a) => released.has(a)));
    for (const { from, to } of moved) expect(from.split(".")[0]).toBe(to.split(".")[0]);
  });

  it("writes no moved block for a resource 0.2.0 did not have, though cdktf would hash a name for it", () => {
    // The rejections alarm and the derivatives bucket's access logging came after 0.2.0.
    const added = ["aws_cloudwatch_metric_alarm.rejections", "aws_s3_bucket_logging.derivatives"];

    const tf = synth(new EnvironmentStack(Testing.app(), "full", FULL));

    expect(addresses(tf)).toEqual(expect.arrayContaining(added));
    expect((tf.moved ?? []).filter((m) => added.includes(m.to))).toEqual([]);
    expect((tf.moved ?? []).every((m) => wasReleased(m.from))).toBe(true);
  });

  it("moves the module's image bucket, its notification, its invoke permission and its key to instance 0 from 0.3.0's uncounted address, and 0.2.0's hashed one there first", () => {
    const tf = synth(new ImageProcessingModuleStack(Testing.app(), "module"));
    const counted = Object.entries(tf.resource).flatMap(([type, byName]) =>
      Object.entries(byName as Record<string, { count?: string }>)
        .filter(([, block]) => /var\.create_(bucket|kms_key)\b/.test(String(block.count)))
        .map(([name]) => `${type}.${name}`),
    );

    const toInstanceZero = (tf.moved ?? []).filter((m) => m.to.endsWith("[0]"));

    expect(counted.sort()).toEqual(
      [...IMAGES, ...ACCESS_LOGS, "aws_kms_alias.pipeline", "aws_kms_key.pipeline", "aws_lambda_permission.allow_image_bucket"].sort(),
    );
    // 0.3.0 held each at its readable address without a key: that address moves to instance 0, and
    // 0.2.0's hashed one to the readable address (one move into an address, so they chain).
    expect(toInstanceZero.map((m) => [m.from, m.to]).sort()).toEqual(counted.map((a) => [a, `${a}[0]`]).sort());
    for (const m of toInstanceZero) expect(RELEASED_ADDRESSES["0.3.0"]).toContain(m.from);
    const intoReadable = (tf.moved ?? []).filter((m) => counted.includes(m.to));
    expect(intoReadable.map((m) => m.to).sort()).toEqual(counted.sort());
    for (const m of intoReadable) expect(RELEASED_ADDRESSES["0.2.0"]).toContain(m.from);
  });

  it("moves what 0.2.0's module already counted as a whole, so its instance keeps its key", () => {
    const tf = synth(new ImageProcessingModuleStack(Testing.app(), "module"));

    const moved = Object.fromEntries((tf.moved ?? []).map((m) => [m.from, m.to]));

    expect(moved["aws_sns_topic_subscription.Pipeline_Notifications_EmailSubscription_3917497E"]).toBe("aws_sns_topic_subscription.email");
    expect(moved["aws_iam_role_policy.Pipeline_Processor_DecryptImagesPolicy_7C3C0F6C"]).toBe(
      "aws_iam_role_policy.processor_decrypt_images",
    );
  });

  it("fails synth for a resource under the pipeline without a name, pointing at the table", () => {
    const stack = new EnvironmentStack(Testing.app(), "dev", BASE_PROPS);

    expect(() => new S3Bucket(stack.pipeline.store!, "Extra", { bucket: "extra" }).fqn).toThrow(
      /Store\/Extra has no Terraform name: give it one in ADDRESSES \(constructs\/naming\/addresses\.ts\)/,
    );
  });

  it("refuses two elements with one address, which synth would merge into one block", () => {
    const stack = new EnvironmentStack(Testing.app(), "dev", BASE_PROPS);
    const extra = new S3Bucket(stack, "Extra", { bucket: "extra" });
    extra.overrideLogicalId("images");

    expect(() => Testing.fullSynth(stack)).toThrow(/same Terraform address aws_s3_bucket\.images/);
  });
});
