import { Testing } from "cdktf";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsContext } from "../../../constructs/support/aws-context";

describe("AwsContext on its own (Testing.synthScope)", () => {
  it("reads account, partition and region from the provider in scope, the region portably across provider majors", () => {
    let context!: AwsContext;
    const json = Testing.synthScope((scope) => {
      context = new AwsContext(scope, "Aws");
    });
    const tf = JSON.parse(json);
    const [regionLocal] = Object.values(tf.locals) as string[];

    expect(json).toHaveDataSource(DataAwsPartition);
    expect(regionLocal).toMatch(/^\$\{lookup\(data\.aws_region\.\w+, "region", lookup\(data\.aws_region\.\w+, "name", null\)\)\}$/);
    expect(context.arn("sqs", "q")).toContain(":sqs:");
  });
});
