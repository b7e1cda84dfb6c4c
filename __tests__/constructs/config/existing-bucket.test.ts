import { resolver } from "../../helpers/iam";
import { onlyResource, resourceExactlyNamed, synthStack } from "../../helpers/synth";

const EXISTING = { name: "acme-shared-uploads", kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555" };
const withExisting = (props: Parameters<typeof synthStack>[0] = {}) =>
  synthStack({ eventDelivery: "eventbridge", existingBucket: EXISTING, ...props });

describe("existingBucket: a bucket the pipeline does not own", () => {
  const stack = withExisting();
  const resolve = resolver(stack);

  it("creates no bucket, bucket policy, lifecycle, logging or notification configuration, and no S3 invoke permission", () => {
    const types = Object.keys(stack.tf.resource).filter((type) => type.startsWith("aws_s3_"));

    expect(types).toEqual([]);
    expect(stack.tf.resource.aws_lambda_permission).toBeUndefined();
  });

  it("points the rule, the processor's grants and the outputs at the bucket by name", () => {
    const rule = onlyResource(stack, "aws_cloudwatch_event_rule");
    const [, policy] = resourceExactlyNamed(stack, "aws_iam_role_policy", "name", "ImageProcessorPolicy-dev");

    expect(JSON.parse(resolve(rule.event_pattern)).detail.bucket.name).toEqual(["acme-shared-uploads"]);
    expect(resolve(policy.policy)).toContain('"Resource":"arn:aws:s3:::acme-shared-uploads/*"');
    expect(policy.policy).toContain(`"Resource":"${EXISTING.kmsKeyArn}"`);
    expect(resolve(stack.tf.output.S3BucketName.value)).toBe("acme-shared-uploads");
  });

  it("needs EventBridge delivery, naming both fields", () => {
    expect(() => synthStack({ existingBucket: EXISTING })).toThrow(
      /existingBucket needs eventDelivery "eventbridge": the pipeline never writes the notification configuration of a bucket it does not own; got eventDelivery "s3-notification"/,
    );
  });

  it.each([
    ["forceDestroy", { forceDestroy: true }],
    ["accessLogging", { accessLogging: true }],
    ["accessLogRetentionDays", { accessLogRetentionDays: 90 }],
    ["noncurrentVersionExpirationDays", { noncurrentVersionExpirationDays: 10 }],
    ["abortIncompleteMultipartUploadDays", { abortIncompleteMultipartUploadDays: 3 }],
    ["bucketKmsKeyArn", { bucketKmsKeyArn: EXISTING.kmsKeyArn }],
  ])("refuses %s beside it: a setting of the bucket itself", (field, props) => {
    expect(() => withExisting(props)).toThrow(
      new RegExp(`${field} cannot be set with existingBucket: it is a setting of the bucket itself`),
    );
  });

  it("refuses a name that is no bucket name and a key that is no key ARN", () => {
    expect(() => withExisting({ existingBucket: { name: "Not_A_Bucket", kmsKeyArn: "alias/mine" } })).toThrow(
      /existingBucket.name must be an S3 bucket name[\s\S]*existingBucket.kmsKeyArn must be a KMS key ARN/,
    );
  });

  it("keeps the image bucket's access logging off by default, even where data protection is on", () => {
    const protectedStack = withExisting({ dataProtection: true, allowUnsubscribedNotifications: true });

    expect(protectedStack.tf.resource.aws_s3_bucket).toBeUndefined();
    expect(protectedStack.tf.resource.aws_dynamodb_table).toBeDefined();
  });
});
