import type { Construct } from "constructs";
import { Fn, Token, dependable } from "cdktf";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { VpcPlacement } from "../config/estate-settings";
import { type PolicyStatement, policyJson } from "../support/policy-document";

/**
 * What Lambda does with the function's role to attach it to the VPC: AWS's own minimum
 * (AWSLambdaVPCAccessExecutionRole, without its logs actions, which the function's policy has for its
 * own log group). On every resource: the Describe actions work only so, and a DeleteNetworkInterface
 * scoped to some interfaces can leave Lambda unable to clean up its own.
 */
export const VPC_NETWORK_INTERFACE_STATEMENT: PolicyStatement = {
  sid: "ManageTheFunctionsNetworkInterfaces",
  effect: "Allow",
  actions: [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
  ],
  resources: ["*"],
};

/**
 * Places the function in the subnets and security groups given, with the network-interface
 * permissions on its role (their own policy, `<policyName>-vpc`), which the function waits for:
 * Lambda refuses a VPC function whose role cannot create its interfaces. Lists known at plan time
 * only (the module's variables) place it when they are not empty.
 */
export function placeInVpc(scope: Construct, fn: LambdaFunction, role: IamRole, policyName: string, vpc: VpcPlacement | undefined): void {
  if (vpc === undefined) return;
  const policy = new IamRolePolicy(scope, "VpcPolicy", {
    name: `${policyName}-vpc`,
    role: role.id,
    policy: policyJson([VPC_NETWORK_INTERFACE_STATEMENT]),
  });
  fn.dependsOn = [...(fn.dependsOn ?? []), dependable(policy)];
  if (!Token.isUnresolved(vpc.subnetIds)) {
    fn.putVpcConfig({ subnetIds: [...vpc.subnetIds], securityGroupIds: [...vpc.securityGroupIds] });
    return;
  }
  // 1 with subnets, 0 without (cdktf writes a 0 operand of a comparison as `undefined`).
  const placed = Token.asNumber(Fn.signum(Fn.lengthOf(vpc.subnetIds)));
  policy.count = placed;
  fn.addOverride("dynamic.vpc_config", {
    for_each: Token.asString(Fn.range(0, placed)),
    content: { subnet_ids: vpc.subnetIds, security_group_ids: vpc.securityGroupIds },
  });
}
