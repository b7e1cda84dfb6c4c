import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";
import { addPipelineOutputs } from "../../../constructs/shipping/pipeline-outputs";

/** A user's stack with its provider and two pipelines of one environment, told apart by their prefixes. */
function twoPipelines() {
  const stack = new TerraformStack(Testing.app(), "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const orders = new ImageProcessingPipeline(stack, "Orders", { environment: "dev", namePrefix: "orders", dataProtection: false });
  const avatars = new ImageProcessingPipeline(stack, "Avatars", { environment: "dev", namePrefix: "avatars", dataProtection: false });
  const outputs = () => JSON.parse(Testing.synth(stack, true)).output as Record<string, { value: string }>;
  return { stack, orders, avatars, outputs };
}

describe("addPipelineOutputs for two pipelines of one stack", () => {
  it("names the first pipeline's outputs as the stacks do, and the second's by its id", () => {
    const { stack, orders, avatars, outputs } = twoPipelines();

    addPipelineOutputs(stack, orders, "stack");
    addPipelineOutputs(stack, avatars, "stack");

    const tf = outputs();
    expect(tf.S3BucketName.value).toContain("Orders_Store_Bucket");
    expect(tf.Avatars_S3BucketName.value).toContain("Avatars_Store_Bucket");
    expect(tf.DynamoDBTableName.value).toContain("Orders_Table");
    expect(tf.Avatars_DynamoDBTableName.value).toContain("Avatars_Table");
  });

  it("keeps the first pipeline's outputs when the second's are added under another scope", () => {
    const { stack, orders, avatars, outputs } = twoPipelines();

    addPipelineOutputs(stack, orders, "module");
    addPipelineOutputs(new Construct(stack, "AvatarsOutputs"), avatars, "module");

    const tf = outputs();
    expect(tf.lambda_function_name.value).toContain("Orders_Processor");
    expect(tf.Avatars_lambda_function_name.value).toContain("Avatars_Processor");
  });

  it("names each pipeline's outputs by the prefix asked for", () => {
    const { stack, orders, avatars, outputs } = twoPipelines();

    addPipelineOutputs(stack, orders, "module", { prefix: "orders" });
    addPipelineOutputs(stack, avatars, "module", { prefix: "avatars" });

    const tf = outputs();
    expect(Object.keys(tf).filter((name) => name.endsWith("sns_topic_arn"))).toEqual(["avatars_sns_topic_arn", "orders_sns_topic_arn"]);
    expect(tf.orders_sns_topic_arn.value).toContain("Orders_Notifications");
  });

  it("refuses a prefix that would replace another pipeline's outputs, naming them", () => {
    const { stack, orders, avatars } = twoPipelines();
    addPipelineOutputs(stack, orders, "stack", { prefix: "images" });

    expect(() => addPipelineOutputs(stack, avatars, "stack", { prefix: "images" })).toThrow(
      "The outputs of team/Avatars would replace outputs the stack has: images_S3BucketName (team/images_S3BucketName)",
    );
  });

  it("refuses a prefix Terraform cannot name an output with", () => {
    const { stack, orders } = twoPipelines();

    expect(() => addPipelineOutputs(stack, orders, "stack", { prefix: "blue green" })).toThrow(
      'prefix must be letters, digits, underscores and hyphens, starting with a letter or an underscore; got "blue green"',
    );
  });

  it("fails synth when an output of the user's takes a pipeline output's name, whenever it is named", () => {
    const { stack, orders, outputs } = twoPipelines();
    addPipelineOutputs(stack, orders, "stack");
    const own = new TerraformOutput(new Construct(stack, "Mine"), "Bucket", { value: "mine" });
    own.overrideLogicalId("S3BucketName");

    expect(outputs).toThrow("The outputs team/S3BucketName and team/Mine/Bucket are both named S3BucketName: only one would remain");
  });
});
