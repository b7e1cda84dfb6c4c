import { Testing } from "cdktf";
import { fromSynthesized } from "../../../../cli/core/configuration/synthesized";
import { ImageProcessingModuleStack } from "../../../../constructs/shipping/module-stack";
import { synthStack } from "../../../helpers/synth";

describe("reading a synthesized stack", () => {
  it("links each argument to the resources its interpolations name, not data sources or itself", () => {
    // Arrange
    const { tf } = synthStack({ region: "us-east-1" });

    // Act
    const configuration = fromSynthesized(tf);

    // Assert
    const fn = configuration.resources.find((r) => r.id === "aws_lambda_function.processor")!;
    expect(fn.refs.environment).toEqual(["aws_dynamodb_table.metadata", "aws_sns_topic.notifications"]);
    expect(fn.refs.role).toEqual(["aws_iam_role.processor"]);
    expect(
      Object.values(fn.refs)
        .flat()
        .filter((id) => id.startsWith("data.") || id === fn.id),
    ).toEqual([]);
    expect(configuration.region).toBe("us-east-1");
    expect(configuration.resources.length).toBe(Object.values(tf.resource).flatMap((byName) => Object.keys(byName as object)).length);
  });

  it("leaves out a resource counted out with a literal 0", () => {
    const { tf } = synthStack();
    const counted = structuredClone(tf);
    counted.resource.aws_cloudwatch_dashboard.pipeline.count = 0;

    expect(fromSynthesized(counted).resources.map((r) => r.type)).not.toContain("aws_cloudwatch_dashboard");
    expect(fromSynthesized(tf).resources.map((r) => r.type)).toContain("aws_cloudwatch_dashboard");
  });

  it("refuses the module's own configuration, which depends on its caller's variables, and says to give a plan", () => {
    // What the module stack synthesizes (npm run synth renders it as HCL for the release).
    const module = JSON.parse(Testing.synth(new ImageProcessingModuleStack(Testing.app(), "module")));

    expect(() => fromSynthesized(module)).toThrow(/the Terraform module itself.*--plan/);
    expect(() => fromSynthesized({})).toThrow("not a synthesized stack: it has no resource block");
  });
});
