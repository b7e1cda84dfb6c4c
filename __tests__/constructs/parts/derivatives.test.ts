import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { deterministicZip } from "../../../constructs/support/code-archive";
import { packagedCodeDir } from "../../../constructs/support/code-dir";
import { DERIVATIVES_ENV, EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";
import { DERIVATIVES_QUEUE_ENV } from "../../../functions/shared/derivative-request";
import { resolver } from "../../helpers/iam";
import {
  type SynthesizedStack,
  arnFromName,
  onlyResource,
  policyDocumentOf,
  resourceExactlyNamed,
  resourceNamed,
  statement,
  synthStack,
} from "../../helpers/synth";

const withDerivatives = (props: Parameters<typeof synthStack>[0] = {}) => synthStack({ derivatives: EXAMPLE_RENDITIONS, ...props });
const named = (stack: SynthesizedStack, type: string, attribute: string, prefix: string) => resourceNamed(stack, type, attribute, prefix);
const address = (type: string, name: string) => `${type}.${name}`;

describe("Derivatives (opt-in)", () => {
  const plain = synthStack();
  const stack = withDerivatives();
  const [fnName, fn] = named(stack, "aws_lambda_function", "function_name", "ImageDerivatives-dev");
  const [, processor] = resourceExactlyNamed(stack, "aws_lambda_function", "function_name", "ImageProcessor-dev");
  const [queueName, queue] = named(stack, "aws_sqs_queue", "name", "ImageDerivatives-dev");
  const [dlqName] = named(stack, "aws_sqs_queue", "name", "ImageDerivatives-DLQ-dev");
  const [bucketName] = named(stack, "aws_s3_bucket", "bucket", "image-derivatives-dev-");

  it("adds nothing to a pipeline without derivatives", () => {
    // Every derivatives resource lives under the construct's own address prefix.
    const addresses = Object.values(plain.tf.resource).flatMap((byName) => Object.keys(byName));
    expect(addresses.filter((a) => a.includes("derivatives"))).toEqual([]);
    expect(Object.keys(plain.tf.resource.aws_lambda_function)).toHaveLength(1);
    const env = (Object.values(plain.tf.resource.aws_lambda_function)[0] as any).environment.variables;
    expect(env[DERIVATIVES_QUEUE_ENV]).toBeUndefined();
  });

  it("runs the derivatives function on arm64 with 1,536 MB, fed by the queue in batches with partial-batch failures", () => {
    expect(fn).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      memory_size: 1536,
      timeout: 120,
      handler: "index.handler",
    });
    const [, mapping] = Object.entries(stack.tf.resource.aws_lambda_event_source_mapping)[0] as [string, any];
    expect(mapping).toMatchObject({
      event_source_arn: `\${${address("aws_sqs_queue", queueName)}.arn}`,
      function_name: `\${${address("aws_lambda_function", fnName)}.arn}`,
      batch_size: 4,
      function_response_types: ["ReportBatchItemFailures"],
    });
  });

  it("hands the function its renditions with every default written out, and its limits", () => {
    const env = fn.environment.variables;
    expect(JSON.parse(env[DERIVATIVES_ENV.renditions])).toEqual([
      { name: "thumbnail", width: 320, height: 320, fit: "cover", format: "webp", quality: 75 },
      { name: "large", width: 1920, height: 1920, fit: "inside", format: "webp", quality: 80 },
    ]);
    expect(env).toMatchObject({
      [DERIVATIVES_ENV.maxSourceBytes]: "52428800",
      [DERIVATIVES_ENV.bucket]: `\${${address("aws_s3_bucket", bucketName)}.bucket}`,
    });
  });

  it("has the processor send requests to the queue, granted by a policy of its own that the function waits for", () => {
    expect(processor.environment.variables[DERIVATIVES_QUEUE_ENV]).toBe(`\${${address("aws_sqs_queue", queueName)}.url}`);
    const [requestsName, requests] = named(stack, "aws_iam_role_policy", "name", "ImageProcessorPolicy-dev-derivatives");
    const [processorRole] = named(stack, "aws_iam_role", "name", "ImageProcessor-dev");
    expect(requests.role).toBe(`\${${address("aws_iam_role", processorRole)}.id}`);
    const resolve = resolver(stack);
    const [grant] = policyDocumentOf(requests.policy).statement;
    expect(policyDocumentOf(requests.policy).statement).toHaveLength(1);
    expect({ ...grant, resources: grant.resources.map(resolve) }).toEqual({
      sid: "RequestDerivatives",
      effect: "Allow",
      actions: ["sqs:SendMessage"],
      resources: [resolve(`\${${address("aws_sqs_queue", queueName)}.arn}`)],
    });
    expect(processor.depends_on).toContain(address("aws_iam_role_policy", requestsName));
    // The processor's own policy is the same with derivatives as without.
    const own = (s: SynthesizedStack) =>
      policyDocumentOf(resourceExactlyNamed(s, "aws_iam_role_policy", "name", "ImageProcessorPolicy-dev")[1].policy);
    expect(own(stack)).toEqual(own(plain));
  });

  it("encrypts the queue with the pipeline key and dead-letters a request after 3 deliveries", () => {
    expect(queue).toMatchObject({
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.\w+\.arn\}$/),
      visibility_timeout_seconds: 720,
      message_retention_seconds: 604800,
    });
    const [, redrive] = Object.entries(stack.tf.resource.aws_sqs_queue_redrive_policy)[0] as [string, any];
    expect(redrive).toEqual({
      queue_url: `\${${address("aws_sqs_queue", queueName)}.url}`,
      redrive_policy: `\${jsonencode({"deadLetterTargetArn" = ${address("aws_sqs_queue", dlqName)}.arn, "maxReceiveCount" = 3})}`,
    });
    const [, dlq] = named(stack, "aws_sqs_queue", "name", "ImageDerivatives-DLQ-dev");
    expect(dlq.kms_master_key_id).toBe(queue.kms_master_key_id);
  });

  it("keeps a dead letter longer than its request waited: SQS counts a moved message's age from its first enqueue", () => {
    const [, dlq] = named(stack, "aws_sqs_queue", "name", "ImageDerivatives-DLQ-dev");

    expect(dlq.message_retention_seconds).toBeGreaterThan(queue.message_retention_seconds);
    expect(dlq.message_retention_seconds - queue.message_retention_seconds).toBeGreaterThanOrEqual(7 * 86400);
  });

  it("bounds the function's concurrency at the event source mapping (5 by default, the setting otherwise)", () => {
    const mapping = (s: SynthesizedStack) => Object.values(s.tf.resource.aws_lambda_event_source_mapping as Record<string, any>)[0];
    const tuned = synthStack({ derivatives: [{ name: "thumbnail", width: 320 }], derivativesSettings: { maximumConcurrency: 20 } });

    expect(mapping(stack).scaling_config).toEqual({ maximum_concurrency: 5 });
    expect(mapping(tuned).scaling_config).toEqual({ maximum_concurrency: 20 });
    expect(() => synthStack({ derivatives: [{ name: "thumbnail", width: 320 }], derivativesSettings: { maximumConcurrency: 1 } })).toThrow(
      "derivativesSettings.maximumConcurrency must be an integer from 2 to 1000; got 1",
    );
  });

  it("writes the queue's access policy after its redrive policy, so no emulator's SetQueueAttributes can erase it", () => {
    const [redriveName] = Object.keys(stack.tf.resource.aws_sqs_queue_redrive_policy);
    const [, policy] = Object.entries(stack.tf.resource.aws_sqs_queue_policy as Record<string, any>).find(
      ([, p]) => p.queue_url === `\${${address("aws_sqs_queue", queueName)}.url}`,
    )!;

    expect(policy.depends_on).toEqual([address("aws_sqs_queue_redrive_policy", redriveName)]);
  });

  it("makes the derivatives bucket private, versioned, encrypted and TLS-only, with its own lifecycle", () => {
    const on = (type: string) =>
      Object.values(stack.tf.resource[type] as Record<string, any>).filter(
        (r) => r.bucket === `\${${address("aws_s3_bucket", bucketName)}.id}`,
      );
    expect(on("aws_s3_bucket_public_access_block")).toEqual([
      expect.objectContaining({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    ]);
    expect(on("aws_s3_bucket_versioning")[0].versioning_configuration.status).toBe("Enabled");
    expect(on("aws_s3_bucket_server_side_encryption_configuration")).toHaveLength(1);
    expect(on("aws_s3_bucket_ownership_controls")[0].rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(on("aws_s3_bucket_lifecycle_configuration")[0].rule[0]).toMatchObject({
      noncurrent_version_expiration: [{ noncurrent_days: 7 }],
    });
    const policy = policyDocumentOf(on("aws_s3_bucket_policy")[0].policy);
    expect(statement(policy, "DenyInsecureTransport").effect).toBe("Deny");
  });

  it("gives the derivatives bucket no notification, so nothing written there can invoke a function", () => {
    const notifications = Object.values(stack.tf.resource.aws_s3_bucket_notification as Record<string, any>);
    expect(notifications).toHaveLength(1);
    expect(notifications[0].bucket).not.toContain(bucketName);
    const permissions = Object.values(stack.tf.resource.aws_lambda_permission as Record<string, any>);
    expect(permissions.map((p) => p.source_arn)).not.toContain(
      arnFromName(stack, "s3", `\${${address("aws_s3_bucket", bucketName)}.bucket}`),
    );
  });

  it("lets the derivatives role write and delete only under the renditions' prefixes of its own bucket, and never delete a version", () => {
    const [, policy] = named(stack, "aws_iam_role_policy", "name", "ImageDerivativesPolicy-dev");
    const document = policyDocumentOf(policy.policy);
    // From the bucket's name, which the plan knows on create.
    const bucketArn = arnFromName(stack, "s3", `\${${address("aws_s3_bucket", bucketName)}.bucket}`);
    expect(statement(document, "WriteRenditions")).toMatchObject({
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: [`${bucketArn}/thumbnail/*`, `${bucketArn}/large/*`],
    });
    const actions = document.statement.flatMap((s: any) => s.actions);
    expect(actions.filter((a: string) => /Delete|\*/.test(a) && !["sqs:DeleteMessage", "s3:DeleteObject"].includes(a))).toEqual([]);
  });

  it("alarms on function errors, dead letters and queue age, to the topic whose policy admits them", () => {
    const alarms = Object.values(stack.tf.resource.aws_cloudwatch_metric_alarm as Record<string, any>).filter((a) =>
      a.alarm_name.startsWith("ImageDerivatives"),
    );
    expect(alarms.map((a) => [a.alarm_name, a.metric_name, a.threshold]).sort()).toEqual([
      ["ImageDerivatives-DeadLetters-dev", "ApproximateNumberOfMessagesVisible", 0],
      ["ImageDerivatives-Errors-dev", "Errors", 5],
      ["ImageDerivatives-QueueAge-dev", "ApproximateAgeOfOldestMessage", 900],
    ]);
    expect(alarms.every((a) => a.alarm_actions[0] === a.ok_actions[0] && /aws_sns_topic/.test(a.alarm_actions[0]))).toBe(true);
    const topicPolicy = JSON.stringify(onlyResource(stack, "aws_sns_topic_policy").policy);
    for (const alarm of alarms) expect(topicPolicy).toContain(`alarm:${alarm.alarm_name}`);
  });

  it("charts the queue's age and the rendition errors on the dashboard", () => {
    const dashboard = Object.values(stack.tf.resource.aws_cloudwatch_dashboard as Record<string, any>)[0];
    const titles = JSON.parse(dashboard.dashboard_body).widgets.map((w: any) => w.properties.title);
    expect(titles).toEqual(expect.arrayContaining(["Derivatives Queue", "Renditions"]));
    expect(dashboard.dashboard_body).toContain("ApproximateAgeOfOldestMessage");
    expect(dashboard.dashboard_body).toContain("RenditionErrors");
  });

  it("zips sharp and libvips for linux-arm64 beside the bundle, at the version the tests run", () => {
    const files = Object.keys(unzipSync(deterministicZip(packagedCodeDir("image-derivatives"))));
    expect(files).toEqual(
      expect.arrayContaining([
        "index.js",
        "node_modules/sharp/package.json",
        "node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64-0.35.5.node",
      ]),
    );
    expect(files.some((f) => f.startsWith("node_modules/@img/sharp-libvips-linux-arm64/lib/libvips-cpp.so"))).toBe(true);
    expect(files.filter((f) => /x64|darwin|win32|musl/.test(f))).toEqual([]);
    const root = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8"));
    const runtime = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "..", "functions", "image-derivatives", "runtime", "package.json"), "utf8"),
    );
    expect(runtime.dependencies.sharp).toBe(root.devDependencies.sharp);
  });

  it("synthesizes byte-identically twice", () => {
    expect(withDerivatives().json).toBe(stack.json);
  });

  it.each([
    [{ derivatives: [{ name: "Thumb", width: 100 }] }, "derivatives[0].name must be 1 to 32 lowercase letters"],
    [{ derivatives: [{ name: "t", width: 100, fit: "cover" }] }, 'derivatives[0]: fit "cover" needs both width and height'],
    [{ derivativesSettings: { memorySize: 64 } }, "derivativesSettings.memorySize must be an integer from 128 to 10240; got 64"],
    [{ derivativesSettings: { maxSourceBytes: 10 } }, "derivativesSettings.maxSourceBytes must be an integer from 1048576 to 1073741824"],
    [{ derivativesSettings: { batchSize: 11 } }, "derivativesSettings.batchSize must be an integer from 1 to 10; got 11"],
  ])("fails synth for %j, naming the field and the allowed values", (props, message) => {
    expect(() => synthStack(props as never)).toThrow(message);
  });
});
