import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { AccessLogBucket } from "../../../constructs/parts/access-log-bucket";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";
import { WORLD, renderPolicy, resolver } from "../../helpers/iam";
import { policyDocumentOf, resourceNamed, statement, synthStack } from "../../helpers/synth";

describe("AccessLogBucket", () => {
  const prod = synthStack({ environment: "prod" });
  const [logName, logBucket] = resourceNamed(prod, "aws_s3_bucket", "bucket", "image-storage-logs-prod-");
  const [imageName] = resourceNamed(prod, "aws_s3_bucket", "bucket", "image-storage-bucket-prod-");
  const byBucket = (type: string) =>
    Object.values(prod.tf.resource[type]).find((r: any) => r.bucket === `\${aws_s3_bucket.${logName}.id}`) as any;

  it("is on wherever data protection is (prod always), off in a disposable environment unless asked for", () => {
    expect(prod.tf.resource.aws_s3_bucket_logging).toBeDefined();
    expect(synthStack({ environment: "staging", dataProtection: true }).tf.resource.aws_s3_bucket_logging).toBeDefined();
    expect(synthStack({ environment: "dev" }).tf.resource.aws_s3_bucket_logging).toBeUndefined();
    expect(synthStack({ environment: "dev", accessLogging: true }).tf.resource.aws_s3_bucket_logging).toBeDefined();
  });

  it("sends the image bucket's access logs to the separate log bucket", () => {
    expect(Object.values(prod.tf.resource.aws_s3_bucket_logging)).toEqual([
      expect.objectContaining({
        bucket: `\${aws_s3_bucket.${imageName}.id}`,
        target_bucket: `\${aws_s3_bucket.${logName}.id}`,
        target_prefix: "access-logs/",
      }),
    ]);
    expect(logBucket.force_destroy).toBe(false);
  });

  it("refuses plain HTTP and TLS older than 1.2 for every action, like the other buckets", () => {
    const document = policyDocumentOf(byBucket("aws_s3_bucket_policy").policy);

    expect(statement(document, "DenyInsecureTransport")).toMatchObject({ effect: "Deny", actions: ["s3:*"] });
    expect(statement(document, "DenyOutdatedTls")).toMatchObject({
      effect: "Deny",
      actions: ["s3:*"],
      condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
    });
  });

  it("is private, SSE-S3 encrypted (log delivery cannot use KMS) and expires logs", () => {
    expect(byBucket("aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(byBucket("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(byBucket("aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 365 }]);
  });

  it("admits only S3 log delivery for the image bucket in this account, over TLS", () => {
    const document = policyDocumentOf(byBucket("aws_s3_bucket_policy").policy);

    const resolve = resolver(prod);
    const delivery = statement(document, "AllowServerAccessLogDelivery");
    expect(delivery.condition[0].values.map(resolve)).toEqual([resolve(`\${aws_s3_bucket.${imageName}.arn}`)]);
    expect(delivery).toMatchObject({
      principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
      actions: ["s3:PutObject"],
      condition: [
        { test: "ArnLike", variable: "aws:SourceArn", values: [expect.stringContaining(`aws_s3_bucket.${imageName}.bucket`)] },
        { test: "StringEquals", variable: "aws:SourceAccount", values: [expect.stringContaining("aws_caller_identity")] },
      ],
    });
    expect(statement(document, "DenyInsecureTransport").effect).toBe("Deny");
  });
});

describe("AccessLogBucket on its own (Testing.synthScope)", () => {
  it("needs a name and the source bucket; keeps logs 365 days and refuses force_destroy by default", () => {
    const json = Testing.synthScope((scope) => {
      const source = new S3Bucket(scope, "Source", { bucket: "photos" });
      new AccessLogBucket(scope, "Logs", { bucketName: "photos-logs", source });
    });
    const tf = JSON.parse(json);

    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "photos-logs", force_destroy: false });
    expect(json).toHaveResourceWithProperties(S3BucketLoggingA, { target_prefix: "access-logs/" });
    const [lifecycle] = Object.values(tf.resource.aws_s3_bucket_lifecycle_configuration) as any[];
    expect(lifecycle.rule[0].expiration).toEqual([{ days: 365 }]);
  });
});

describe("the derivatives bucket's access logs", () => {
  const stack = synthStack({ environment: "prod", derivatives: EXAMPLE_RENDITIONS, allowUnsubscribedNotifications: true });
  const logging = Object.values(stack.tf.resource.aws_s3_bucket_logging) as any[];
  const [logName] = resourceNamed(stack, "aws_s3_bucket", "bucket", "image-storage-logs-prod-");

  it("go to the image bucket's log bucket under their own prefix, whenever the image bucket's do", () => {
    // Named through the log bucket's policy, so S3 is asked to log there only once the policy admits it.
    const [logPolicyName] = Object.entries(stack.tf.resource.aws_s3_bucket_policy).find(
      ([, p]: [string, any]) => p.bucket === `\${aws_s3_bucket.${logName}.id}`,
    )!;
    expect(logging.map((l) => [l.bucket, l.target_bucket, l.target_prefix]).sort()).toEqual([
      ["${aws_s3_bucket.derivatives.id}", `\${aws_s3_bucket_policy.${logPolicyName}.bucket}`, "derivatives-access-logs/"],
      ["${aws_s3_bucket.images.id}", `\${aws_s3_bucket.${logName}.id}`, "access-logs/"],
    ]);
    const dev = synthStack({ environment: "dev", derivatives: EXAMPLE_RENDITIONS });
    expect(dev.tf.resource.aws_s3_bucket_logging).toBeUndefined();
  });

  it("are admitted by the log bucket's policy under their prefix only (IAM simulation)", async () => {
    const policy = renderPolicy(
      stack,
      (Object.values(stack.tf.resource.aws_s3_bucket_policy) as any[]).find((p) => p.bucket.includes(logName)).policy,
    );
    const logs = `arn:aws:s3:::image-storage-logs-prod-${WORLD.account}`;
    const deliver = async (key: string, source: string) => {
      const result = await runSimulation(
        {
          request: {
            principal: "logging.s3.amazonaws.com",
            action: "s3:PutObject",
            resource: { resource: `${logs}/${key}`, accountId: WORLD.account },
            contextVariables: {
              "aws:SourceArn": source,
              "aws:SourceAccount": WORLD.account,
              "aws:SecureTransport": "true",
              "s3:TlsVersion": "1.3",
            },
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: policy,
        },
        {},
      );
      if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
      return result.overallResult;
    };
    const derivatives = `arn:aws:s3:::image-derivatives-prod-${WORLD.account}`;

    expect(await deliver("derivatives-access-logs/2026-12-02-x", derivatives)).toBe("Allowed");
    expect(await deliver("access-logs/2026-12-02-x", derivatives)).toBe("ImplicitlyDenied");
    expect(await deliver("derivatives-access-logs/2026-12-02-x", "arn:aws:s3:::someone-elses")).toBe("ImplicitlyDenied");
  });
});
