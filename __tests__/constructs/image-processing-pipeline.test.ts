import { Testing, TerraformStack } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { ImageProcessingPipeline } from "../../constructs/image-processing-pipeline";
import { NAME_LIMITS, namesWithLimits } from "../../constructs/naming/names";
import { addressOf, onlyResource, policyDocumentOf, ref, resourceExactlyNamed, synthStack } from "../helpers/synth";

/** Every name a resource is given (not a reference to another's), as `type name`. */
const resourceNamesIn = (tf: any): string[] =>
  Object.entries(tf.resource as Record<string, Record<string, any>>).flatMap(([type, byName]) =>
    Object.values(byName).flatMap((r) =>
      ["bucket", "name", "function_name", "alarm_name", "dashboard_name"]
        .map((attribute) => r[attribute])
        .filter((name) => typeof name === "string" && !name.startsWith("${aws_"))
        .map((name) => `${type} ${name}`),
    ),
  );

/** A stack holding only pipelines, synthesized. */
const synthPipelines = (...props: ConstructorParameters<typeof ImageProcessingPipeline>[2][]) => {
  const stack = new TerraformStack(Testing.app(), "pipelines");
  for (const [i, p] of props.entries()) new ImageProcessingPipeline(stack, `Pipeline${i}`, p);
  return JSON.parse(Testing.synth(stack));
};

describe("ImageProcessingPipeline", () => {
  const stack = synthStack();

  it("notifies the processor of every created, removed and lifecycle-expired object in one target without a suffix filter, since S3's filters are case-sensitive", () => {
    const notification = onlyResource(stack, "aws_s3_bucket_notification");

    expect(notification.bucket).toBe(ref(stack, "aws_s3_bucket", "id"));
    expect(notification.lambda_function).toEqual([
      {
        id: "process-new-objects",
        events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:LifecycleExpiration:*"],
        lambda_function_arn: ref(stack, "aws_lambda_function", "arn"),
      },
    ]);
  });

  it("subscribes to no deletion, and lists no versions, when deletions do not propagate", () => {
    const kept = synthStack({ propagateDeletions: false });
    const processorPolicy = policyDocumentOf(
      resourceExactlyNamed(kept, "aws_iam_role_policy", "name", "ImageProcessorPolicy-dev")[1].policy,
    );

    expect(onlyResource(kept, "aws_s3_bucket_notification").lambda_function[0].events).toEqual(["s3:ObjectCreated:*"]);
    expect(processorPolicy.statement.map((s: any) => s.sid)).not.toContain("FindDeletedImageVersions");
  });

  it("tells the processor the formats whose suffixes it takes, and rejects an unknown format naming the allowed ones", () => {
    const wider = synthStack({ formats: ["jpeg", "png", "webp", "heic"] });

    expect(onlyResource(wider, "aws_lambda_function").environment.variables.IMAGE_FORMATS).toBe("jpeg,png,webp,heic");
    expect(() => synthStack({ formats: ["jpeg", "bmp" as any] })).toThrow(
      /formats must be a non-empty list without repeats of jpeg, png, webp, gif, avif, heic, tiff; got \["jpeg","bmp"\]/,
    );
  });

  it("configures the notification only after S3 may invoke the function", () => {
    expect(onlyResource(stack, "aws_s3_bucket_notification").depends_on).toContain(addressOf(stack, "aws_lambda_permission"));
  });

  it("has no custom-resource Lambda: the processor is the only function", () => {
    expect(Object.keys(stack.tf.resource.aws_lambda_function)).toHaveLength(1);
  });

  it("puts namePrefix and a hyphen before every resource name, and into the metrics' environment dimension", () => {
    const plain = synthStack({ environment: "dev" });
    const prefixed = synthStack({ environment: "dev", namePrefix: "euw1" });

    const before = resourceNamesIn(plain.tf);
    const after = resourceNamesIn(prefixed.tf);

    expect(after).toHaveLength(before.length);
    expect(after).toEqual(before.map((name) => name.replace(/ (\/aws\/lambda\/|alias\/)?/, (separator) => `${separator}euw1-`)));
    expect(onlyResource(prefixed, "aws_lambda_function").environment.variables.ENVIRONMENT).toBe("euw1-dev");
    expect(onlyResource(prefixed, "aws_kms_alias").name).toBe("alias/euw1-image-processing-dev");
  });

  it("lets two pipelines of one environment share a stack when their prefixes differ", () => {
    const names = resourceNamesIn(synthPipelines({ environment: "dev", namePrefix: "blue" }, { environment: "dev", namePrefix: "green" }));

    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith("aws_lambda_function ")).sort()).toEqual([
      "aws_lambda_function blue-ImageProcessor-dev",
      "aws_lambda_function green-ImageProcessor-dev",
    ]);
  });

  it("accepts the longest prefix and environment every name limit allows, and refuses one character more, naming both fields", () => {
    // 4 + 1 + 24 = 29: the bucket name is then exactly 63 characters.
    const longest = { namePrefix: "abcd", environment: "e".repeat(24) };
    for (const { kind, name } of namesWithLimits(longest.environment, `${longest.namePrefix}-`)) {
      expect(name.length).toBeLessThanOrEqual(NAME_LIMITS[kind]);
    }
    expect(() => synthStack(longest)).not.toThrow();

    expect(() => synthStack({ ...longest, namePrefix: "abcde" })).toThrow(
      /namePrefix and environment must have at most 29 characters together, the prefix's hyphen included, or the bucket name exceeds S3's 63; got "abcde" and "e{24}" \(30\)/,
    );
    expect(() => synthStack({ namePrefix: "Blue_" })).toThrow(/namePrefix must be empty, or lowercase letters/);
  });

  it("merges tags onto every resource that takes tags, the resource's own Purpose winning", () => {
    const tagged = { tf: synthPipelines({ environment: "dev", tags: { Team: "media", Purpose: "overridden" } }) };
    const untagged = { tf: synthPipelines({ environment: "dev" }) };
    const taggable = [
      "aws_s3_bucket",
      "aws_dynamodb_table",
      "aws_lambda_function",
      "aws_iam_role",
      "aws_sns_topic",
      "aws_sqs_queue",
      "aws_kms_key",
      "aws_cloudwatch_log_group",
      "aws_cloudwatch_metric_alarm",
    ];

    for (const type of taggable) {
      for (const resource of Object.values(tagged.tf.resource[type])) expect((resource as any).tags).toMatchObject({ Team: "media" });
    }
    expect(onlyResource(tagged as any, "aws_dynamodb_table").tags).toEqual({ Team: "media", Purpose: "ImageMetadata" });
    expect(onlyResource(untagged as any, "aws_lambda_function").tags).toBeUndefined();
  });
});

describe("ImageProcessingPipeline on its own (Testing.synthScope)", () => {
  it("synthesizes in any scope with only an environment", () => {
    const json = Testing.synthScope((scope) => new ImageProcessingPipeline(scope, "Pipeline", { environment: "qa" }));

    expect(json).toHaveResourceWithProperties(LambdaFunction, { function_name: "ImageProcessor-qa" });
    expect(json).toHaveDataSource(DataAwsCallerIdentity);
  });
});
