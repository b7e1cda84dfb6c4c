import { Construct } from "constructs";
import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";
import type { ImageProcessingPipelineProps } from "../../../constructs/config/pipeline-props";
import { snakeCase } from "../../../constructs/naming/readable-addresses";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";
import { synthStack } from "../../helpers/synth";

type Tf = { resource: Record<string, Record<string, any>>; data: Record<string, Record<string, any>> };

const PROPS: ImageProcessingPipelineProps = {
  environment: "dev",
  dataProtection: false,
  accessLogging: true,
  notificationEmail: "ops@example.com",
  derivatives: EXAMPLE_RENDITIONS,
};

/** Every address of a synthesized stack: resources as `type.name`, data sources as `data.type.name`. */
const addressesOf = (tf: Tf): string[] =>
  [
    ...Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
    ...Object.entries(tf.data).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`)),
  ].sort();

/** A team's own stack: its provider, a queue of its own, and the pipelines. */
function teamStack(pipelines: (stack: TerraformStack) => void): Tf {
  const stack = new TerraformStack(Testing.app(), "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new SqsQueue(stack, "TeamQueue", { name: "team" });
  pipelines(stack);
  return JSON.parse(Testing.synth(stack));
}

describe("readableAddresses in a stack of the user's own", () => {
  // The environment stack's readable addresses of the same configuration: what each pipeline's are, qualified.
  const environment = addressesOf(synthStack(PROPS).tf);

  it("names every element of two pipelines by the pipeline and the environment stack's name, with no address in common", () => {
    // Act
    const tf = teamStack((stack) => {
      new ImageProcessingPipeline(stack, "Images", { ...PROPS, namePrefix: "blue", readableAddresses: true });
      new ImageProcessingPipeline(stack, "ImagesWest", { ...PROPS, namePrefix: "west", readableAddresses: true });
    });

    // Assert
    const qualified = (qualifier: string) =>
      environment.map((address) => address.replace(/^((?:data\.)?[a-z0-9_]+)\./, `$1.${qualifier}_`));
    expect(addressesOf(tf)).toEqual([...qualified("images"), ...qualified("images_west"), "aws_sqs_queue.TeamQueue"].sort());
    expect(tf.resource.aws_lambda_function.images_processor.role).toBe("${aws_iam_role.images_processor.arn}");
    expect(tf.resource.aws_lambda_function.images_west_processor.role).toBe("${aws_iam_role.images_west_processor.arn}");
  });

  it("qualifies pipelines of one id in two scopes by their whole path, and leaves a pipeline without the prop hashed", () => {
    // Act
    const tf = teamStack((stack) => {
      new ImageProcessingPipeline(new Construct(stack, "Blue"), "Images", { ...PROPS, namePrefix: "blue", readableAddresses: true });
      new ImageProcessingPipeline(new Construct(stack, "Green"), "Images", { ...PROPS, namePrefix: "green", readableAddresses: true });
      new ImageProcessingPipeline(stack, "Hashed", { ...PROPS, namePrefix: "hashed" });
    });

    // Assert
    expect(Object.keys(tf.resource.aws_lambda_function).sort()).toEqual([
      "Hashed_Derivatives_Function_234D2F45",
      "Hashed_Processor_Function_28D4E920",
      "blue_images_derivatives",
      "blue_images_processor",
      "green_images_derivatives",
      "green_images_processor",
    ]);
  });

  it("refuses two pipelines whose paths give one qualifier, naming both", () => {
    const stack = new TerraformStack(Testing.app(), "team");
    new ImageProcessingPipeline(stack, "Images", { ...PROPS, namePrefix: "one", readableAddresses: true });

    expect(() => new ImageProcessingPipeline(stack, "images", { ...PROPS, namePrefix: "two", readableAddresses: true })).toThrow(
      "readableAddresses: the pipelines team/Images and team/images would have the same Terraform addresses (images_...): give one of them another construct id",
    );
  });

  it.each([
    ["Images", "images"],
    ["ImagesWest", "images_west"],
    ["images-west", "images_west"],
    ["EUImages", "eu_images"],
    ["2nd", "_2nd"],
  ])("writes the construct id %s as %s", (id, name) => {
    expect(snakeCase(id)).toBe(name);
  });
});
