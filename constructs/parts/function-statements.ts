// IAM statements and the execution role both functions of the pipeline use.
import type { Construct } from "constructs";
import { type ListTerraformIterator, type MapTerraformIterator, TerraformIterator, Token } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsContext } from "../support/aws-context";
import { type PolicyStatement, policyJson, service } from "../support/policy-document";
import { byIndexOrKey } from "../support/tokens";

/** Reading image versions, as both functions do. */
export const readImages = (bucketArn: string): PolicyStatement[] => [
  {
    // HeadObject and GetObject of the current version or of a given one.
    sid: "ReadImageVersions",
    effect: "Allow",
    actions: ["s3:GetObject", "s3:GetObjectVersion"],
    resources: [`${bucketArn}/*`],
  },
  {
    // Without ListBucket S3 answers 403 instead of 404 for a deleted object, and a function
    // could not tell "missing" (final) from "denied" (a fault).
    sid: "TellMissingImagesFromDenied",
    effect: "Allow",
    actions: ["s3:ListBucket"],
    resources: [bucketArn],
  },
];

/**
 * Every function of the pipeline writes its own log group (named by its ARN built from the group's name,
 * which the plan knows on create), and X-Ray traces unless tracing is off (false; in the module, as
 * its variable says at plan time).
 */
export const logsAndTraces = (aws: AwsContext, logGroupName: string, tracing = true): PolicyStatement[] => [
  {
    sid: "WriteOwnLogs",
    effect: "Allow",
    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
    resources: [aws.arn("logs", `log-group:${logGroupName}:*`)],
  },
  ...(tracing === false
    ? []
    : [
        {
          // X-Ray has no resource-level permissions for these actions.
          sid: "WriteTraces",
          effect: "Allow",
          actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
          resources: ["*"],
          onlyIf: Token.isUnresolved(tracing) ? tracing : undefined,
        },
      ]),
];

/** Use of a key only through the given services, in this region. */
export const viaServices = (aws: AwsContext, ...services: string[]) => ({
  test: "StringEquals",
  variable: "kms:ViaService",
  values: services.map((name) => `${name}.${aws.region}.amazonaws.com`),
});

/** A Lambda execution role that only Lambda may assume. */
export function executionRole(scope: Construct, props: { name: string; functionName: string; permissionsBoundary?: string }): IamRole {
  const trust = policyJson([
    {
      // AWS's documented trust policy for an execution role, as it is: no condition ("Defining Lambda function
      // permissions with an execution role", https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html).
      // No AWS page says Lambda sends aws:SourceAccount when it assumes the role, and a condition it did not
      // meet would stop the function. What bounds it: Lambda assumes the role only for a function configured
      // with it, which takes iam:PassRole on it, and no principal outside this account can be given that.
      sid: "LambdaAssumesRole",
      effect: "Allow",
      principals: service("lambda.amazonaws.com"),
      actions: ["sts:AssumeRole"],
    },
  ]);
  return new IamRole(scope, "Role", {
    name: props.name,
    description: `Execution role of ${props.functionName}`,
    assumeRolePolicy: trust,
    permissionsBoundary: props.permissionsBoundary,
  });
}

/**
 * The policies given to attach to a function's role (`rolePolicyArns`), one attachment per ARN
 * (`for_each`), keyed by the ARN when every ARN is a literal, so adding or removing one leaves the
 * others in place; by index when one is a reference (a policy in the same configuration, known only
 * after apply) or the list is a variable as a whole.
 */
export function attachPolicies(scope: Construct, role: IamRole, arns: readonly string[] | undefined): IamRolePolicyAttachment | undefined {
  if (arns === undefined || (!Token.isUnresolved(arns) && arns.length === 0)) return undefined;
  const each: ListTerraformIterator | MapTerraformIterator = Token.isUnresolved(arns)
    ? byIndexOrKey(arns)
    : arns.some((arn) => Token.isUnresolved(arn))
      ? TerraformIterator.fromMap(Object.fromEntries(arns.map((arn, i) => [String(i), arn])))
      : TerraformIterator.fromList(arns as string[]);
  return new IamRolePolicyAttachment(scope, "PolicyAttachments", { forEach: each, role: role.name, policyArn: each.value });
}
