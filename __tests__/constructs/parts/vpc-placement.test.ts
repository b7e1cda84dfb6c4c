import { type Call, WORLD, evaluateCall, renderPolicy, violations } from "../../helpers/iam";
import { resourceExactlyNamed, synthStack } from "../../helpers/synth";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";

const VPC = { subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], securityGroupIds: ["sg-0123456789abcdef0"] };

describe("vpc: both functions in the subnets given", () => {
  const stack = synthStack({ vpc: VPC, derivatives: EXAMPLE_RENDITIONS });
  const functions = Object.entries(stack.tf.resource.aws_lambda_function) as [string, any][];

  it("places the processor and the derivatives function, each after its role may make their network interfaces", () => {
    for (const [address, fn] of functions) {
      expect({ address, vpc: fn.vpc_config }).toEqual({
        address,
        vpc: { subnet_ids: VPC.subnetIds, security_group_ids: VPC.securityGroupIds },
      });
      expect(fn.depends_on).toContain(`aws_iam_role_policy.${address}_vpc`);
    }
    expect(functions.map(([address]) => address).sort()).toEqual(["derivatives", "processor"]);
  });

  it("grants the network-interface actions Lambda uses, and no other EC2 action (IAM simulation)", async () => {
    const [, policy] = resourceExactlyNamed(stack, "aws_iam_role_policy", "name", "ImageProcessorPolicy-dev-vpc");
    const document = renderPolicy(stack, policy.policy);
    const role = `arn:aws:iam::${WORLD.account}:role/ImageProcessor-dev`;
    const eni = `arn:aws:ec2:${WORLD.region}:${WORLD.account}:network-interface/eni-0123456789abcdef0`;
    const NEEDED: Call[] = [
      { action: "ec2:CreateNetworkInterface", resource: eni },
      { action: "ec2:DeleteNetworkInterface", resource: eni },
      { action: "ec2:AssignPrivateIpAddresses", resource: eni },
      // EC2's Describe actions take no resource but "*".
      { action: "ec2:DescribeNetworkInterfaces", resource: "*" },
      { action: "ec2:DescribeSubnets", resource: "*" },
    ];
    const FORBIDDEN: Call[] = [
      { action: "ec2:RunInstances", resource: `arn:aws:ec2:${WORLD.region}:${WORLD.account}:instance/*` },
      {
        action: "ec2:AuthorizeSecurityGroupIngress",
        resource: `arn:aws:ec2:${WORLD.region}:${WORLD.account}:security-group/sg-0123456789abcdef0`,
      },
      { action: "ec2:CreateVpcEndpoint", resource: `arn:aws:ec2:${WORLD.region}:${WORLD.account}:vpc-endpoint/*` },
    ];
    const evaluate = (call: Call) => evaluateCall(role, document, call, { arn: "none", policy: {} });

    expect(await violations(evaluate, NEEDED, FORBIDDEN, "processor")).toEqual([]);
  });

  it("is not in a VPC, and has no network-interface policy, by default", () => {
    const plain = synthStack();

    expect(Object.values(plain.tf.resource.aws_lambda_function).map((fn: any) => fn.vpc_config)).toEqual([undefined]);
    expect(Object.keys(plain.tf.resource.aws_iam_role_policy).filter((a) => a.endsWith("_vpc"))).toEqual([]);
  });
});
