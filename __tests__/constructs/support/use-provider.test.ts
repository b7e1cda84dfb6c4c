import { Testing, TerraformHclModule, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";
import type { ImageProcessingPipelineProps } from "../../../constructs/config/pipeline-props";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";

type Tf = { resource: Record<string, Record<string, any>>; data: Record<string, Record<string, any>>; module?: Record<string, any> };

/** Every part of the pipeline: its own bucket with access logs, derivatives, EventBridge delivery, Batch Operations, a VPC. */
const EVERY_PART: ImageProcessingPipelineProps = {
  environment: "dev",
  dataProtection: false,
  accessLogging: true,
  notificationEmail: "ops@example.com",
  subscriptions: [{ protocol: "sqs", endpoint: "arn:aws:sqs:us-west-2:123456789012:notices" }],
  derivatives: EXAMPLE_RENDITIONS,
  eventDelivery: "eventbridge",
  batchOperations: true,
  vpc: { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] },
};

/** `type.name` → its `provider` argument, for every resource and data source of a synthesized stack. */
const providersOf = (tf: Tf): Record<string, unknown> =>
  Object.fromEntries(
    [
      ...Object.entries(tf.resource).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, r]) => [`${type}.${name}`, r.provider]),
      ),
      ...Object.entries(tf.data).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, d]) => [`data.${type}.${name}`, d.provider]),
      ),
    ].sort(([a], [b]) => (a < b ? -1 : 1)),
  );

describe("the pipeline's provider prop", () => {
  it("puts every resource and data source of every part on the given provider, made after the pipeline too", () => {
    // Arrange
    const stack = new TerraformStack(Testing.app(), "team");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });

    // Act
    const pipeline = new ImageProcessingPipeline(stack, "Images", { ...EVERY_PART, provider: west });
    const later = new SqsQueue(pipeline, "AddedLater", { name: "added-later" });
    const tf: Tf = JSON.parse(Testing.synth(stack));

    // Assert
    const providers = providersOf(tf);
    expect(Object.keys(providers).length).toBeGreaterThan(80);
    // The data sources the pipeline reads its account, region and partition from are on it too.
    expect(Object.keys(providers).filter((address) => address.startsWith("data."))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^data\.aws_caller_identity\./),
        expect.stringMatching(/^data\.aws_region\./),
        expect.stringMatching(/^data\.aws_partition\./),
      ]),
    );
    expect(new Set(Object.values(providers))).toEqual(new Set(["aws.west"]));
    expect(later.provider).toBe(west);
  });

  it("leaves a resource given its own provider on it, and the rest of the stack on the default provider", () => {
    // Arrange
    const stack = new TerraformStack(Testing.app(), "team");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    const east = new AwsProvider(stack, "east", { region: "us-east-1", alias: "east" });
    new SqsQueue(stack, "TeamQueue", { name: "team" });

    // Act
    const pipeline = new ImageProcessingPipeline(stack, "Images", { ...EVERY_PART, provider: west });
    pipeline.processor.function.provider = east;
    const tf: Tf = JSON.parse(Testing.synth(stack));

    // Assert
    expect(Object.values(tf.resource.aws_lambda_function).map((f) => [f.function_name, f.provider])).toEqual([
      ["ImageDerivatives-dev", "aws.west"],
      ["ImageProcessor-dev", "aws.east"],
    ]);
    expect(tf.resource.aws_sqs_queue.TeamQueue.provider).toBeUndefined();
  });

  it("passes the provider to a module made under the pipeline, unless the module has an AWS provider of its own", () => {
    // Arrange
    const stack = new TerraformStack(Testing.app(), "team");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    const east = new AwsProvider(stack, "east", { region: "us-east-1", alias: "east" });
    const pipeline = new ImageProcessingPipeline(stack, "Images", { environment: "dev", dataProtection: false, provider: west });

    // Act
    new TerraformHclModule(pipeline, "Child", { source: "./child", skipAssetCreationFromLocalModules: true });
    new TerraformHclModule(pipeline, "OwnProvider", { source: "./child", skipAssetCreationFromLocalModules: true, providers: [east] });
    const tf: Tf = JSON.parse(Testing.synth(stack));

    // Assert
    expect(Object.values(tf.module ?? {}).map((m) => [m.source, m.providers])).toEqual([
      ["./child", { aws: "aws.west" }],
      ["./child", { aws: "aws.east" }],
    ]);
  });

  it("leaves every element without a provider argument when no provider is given (the stack's default)", () => {
    const stack = new TerraformStack(Testing.app(), "team");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new ImageProcessingPipeline(stack, "Images", EVERY_PART);

    expect(new Set(Object.values(providersOf(JSON.parse(Testing.synth(stack)))))).toEqual(new Set([undefined]));
  });

  it("refuses a provider of another stack, or not an AWS provider, naming the prop", () => {
    const app = Testing.app();
    const other = new TerraformStack(app, "other");
    const elsewhere = new AwsProvider(other, "aws", { region: "us-west-2" });
    const stack = new TerraformStack(app, "team");

    expect(() => new ImageProcessingPipeline(stack, "Images", { environment: "dev", provider: elsewhere })).toThrow(
      /provider must be a provider of the pipeline's own stack \(team\); got one of other \(other\/aws\)/,
    );
    expect(() => new ImageProcessingPipeline(stack, "Again", { environment: "dev", provider: { region: "us-west-2" } as any })).toThrow(
      /provider must be an AWS provider \(new AwsProvider\(\.\.\.\)\); got Object/,
    );
  });
});
