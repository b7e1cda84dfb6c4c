import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";
import type { ImageProcessingPipelineProps } from "../../../constructs/config/pipeline-props";

/** A user's stack with its provider (and a second one, aliased, in another region). */
function userStack() {
  const stack = new TerraformStack(Testing.app(), "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
  return { stack, west };
}

const dev: ImageProcessingPipelineProps = { environment: "dev", dataProtection: false };

/** The message of the validation that fails synth, or "" when it passes. */
function synthProblems(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("two pipelines in one stack", () => {
  it("are refused at synth when they share an environment without a namePrefix, naming both and namePrefix", () => {
    const { stack } = userStack();
    new ImageProcessingPipeline(stack, "Orders", dev);
    new ImageProcessingPipeline(stack, "Avatars", dev);

    const problems = synthProblems(stack);

    expect(problems).toContain("The pipeline team/Orders and the pipeline team/Avatars give resources the same AWS name");
    expect(problems).toContain('aws_dynamodb_table "ImageMetadata-dev"');
    expect(problems).toContain('aws_iam_role "ImageProcessor-dev"');
    expect(problems).toContain("its own namePrefix");
  });

  it.each([
    ["their own namePrefix", { ...dev, namePrefix: "orders" }, { ...dev, namePrefix: "avatars" }],
    ["their own environment", dev, { ...dev, environment: "test" }],
  ])("synthesize with %s", (_, first, second) => {
    const { stack } = userStack();
    new ImageProcessingPipeline(stack, "Orders", first);
    new ImageProcessingPipeline(stack, "Avatars", second);

    expect(synthProblems(stack)).toBe("");
  });

  it("are refused when their only common names are global ones (IAM), even on providers of two regions", () => {
    const { stack, west } = userStack();
    new ImageProcessingPipeline(stack, "Orders", dev);
    const avatars = new ImageProcessingPipeline(stack, "Avatars", dev);
    // The whole second pipeline in the other region: its regional names are free there, its roles' are not.
    for (const node of avatars.node.findAll()) if ("provider" in node && "terraformResourceType" in node) (node as any).provider = west;

    const problems = synthProblems(stack);

    expect(problems).toContain('aws_iam_role "ImageProcessor-dev"');
    expect(problems).not.toContain("aws_dynamodb_table");
  });

  it("refuses a resource of the user's own with a pipeline's name", () => {
    const { stack } = userStack();
    new ImageProcessingPipeline(stack, "Images", dev);
    new DynamodbTable(stack, "Legacy", { name: "ImageMetadata-dev", hashKey: "id", attribute: [{ name: "id", type: "S" }] });

    expect(synthProblems(stack)).toContain("The pipeline team/Images and the resource team/Legacy give resources the same AWS name");
  });

  it("compares literal names only: names from variables are known at plan time", () => {
    const { stack } = userStack();
    const variable = (name: string) => new TerraformVariable(stack, name, { type: "string" }).stringValue;
    new ImageProcessingPipeline(stack, "Orders", { ...dev, environment: variable("orders_environment") });
    new ImageProcessingPipeline(stack, "Avatars", { ...dev, environment: variable("avatars_environment") });

    expect(synthProblems(stack)).toBe("");
  });
});
