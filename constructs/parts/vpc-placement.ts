import type { Construct } from "constructs";
import { Fn, Token, dependable } from "cdktf";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { VpcPlacement } from "../config/estate-settings";
import { type PolicyStatement, policyJson } from "../support/policy-document";
import { planTimeSwitches } from "../support/plan-time";

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
 * Places the function in the subnets and security groups given (literals or references), with the
 * network-interface permissions on its role (their own policy, `<policyName>-vpc`), which the
 * function waits for: Lambda refuses a VPC function whose role cannot create its interfaces. In the
 * module, as its switch says (subnets given or not).
 */
export function placeInVpc(scope: Construct, fn: LambdaFunction, role: IamRole, policyName: string, vpc: VpcPlacement | undefined): void {
  if (vpc === undefined) return;
  const policy = new IamRolePolicy(scope, "VpcPolicy", {
    name: `${policyName}-vpc`,
    role: role.id,
    policy: policyJson([VPC_NETWORK_INTERFACE_STATEMENT]),
  });
  fn.dependsOn = [...(fn.dependsOn ?? []), dependable(policy)];
  const placed = planTimeSwitches(scope).vpc;
  if (placed === undefined) {
    // A list that is a token as a whole (a variable) is written as it is, not copied element by element.
    const list = (ids: readonly string[]) => (Token.isUnresolved(ids) ? (ids as string[]) : [...ids]);
    fn.putVpcConfig({ subnetIds: list(vpc.subnetIds), securityGroupIds: list(vpc.securityGroupIds) });
    return;
  }
  policy.count = Token.asNumber(Fn.conditional(placed, 1, 0));
  fn.addOverride("dynamic.vpc_config", {
    for_each: Token.asString(Fn.conditional(placed, [1], [])),
    content: { subnet_ids: vpc.subnetIds, security_group_ids: vpc.securityGroupIds },
  });
}
