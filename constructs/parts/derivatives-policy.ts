// The derivatives function's permissions, each statement one need of its code.
import { Fn, TerraformIterator, Token } from "cdktf";
import type { Rendition } from "../../functions/image-derivatives/environment";
import type { AwsContext } from "../support/aws-context";
import { logsAndTraces, readImages, viaServices } from "./function-statements";
import type { PolicyStatement } from "../support/policy-document";

/** What the derivatives function's permissions are about (see DerivativesProps). */
export interface DerivativesPolicyInputs {
  readonly aws: AwsContext;
  readonly imageBucketArn: string;
  readonly tableArn: string;
  readonly kmsKeyArn: string;
  /** The image bucket's key, granted here when given (the module grants it in a policy of its own, counted by its switch). */
  readonly bucketKmsKeyArn?: string;
  /** The derivatives bucket's key where it is not the image bucket's, granted here when given (the module: as the image bucket's). */
  readonly renditionsKmsKeyArn?: string;
  readonly renditions: readonly Rendition[];
  /** The derivatives bucket's name (its ARN is built from it, so the plan knows it on create). */
  readonly bucketName: string;
  /** The derivatives queue. */
  readonly queueArn: string;
  /** X-Ray tracing; off (false), no X-Ray grant. */
  readonly tracing?: boolean;
}

/** `formatlist("arn:%s:s3:::%s/%s/*", <partition>, <bucket>, [for r in <renditions> : r.name])`, for renditions known at plan time only. */
function renditionPrefixesOf(aws: AwsContext, renditions: readonly Rendition[], bucketName: string): string[] {
  const each = TerraformIterator.fromList(renditions as unknown as string[]);
  // The references as arguments, not inside the format: a reference in a string given to a function is an escape sequence to cdktf.
  return Token.asList(Fn.formatlist("arn:%s:s3:::%s/%s/*", [aws.partition, bucketName, each.pluckProperty("name")]));
}

/** The image bucket's key: read images through S3, and write renditions where the derivatives bucket shares it (the pipeline's own bucket's key). */
export const useBucketKey = (aws: AwsContext, bucketKmsKeyArn: string): PolicyStatement => ({
  sid: "UseBucketKeyThroughS3",
  effect: "Allow",
  actions: ["kms:Decrypt", "kms:GenerateDataKey"],
  resources: [bucketKmsKeyArn],
  condition: [viaServices(aws, "s3")],
});

/** The renditions under a key of their own (the pipeline's, beside another's bucket): write them through S3. */
export const encryptRenditions = (aws: AwsContext, renditionsKmsKeyArn: string): PolicyStatement => ({
  sid: "EncryptRenditionsThroughS3",
  effect: "Allow",
  // GenerateDataKey writes each rendition; Decrypt as the image bucket's own key has it (S3 asks for it on a multipart upload).
  actions: ["kms:Decrypt", "kms:GenerateDataKey"],
  resources: [renditionsKmsKeyArn],
  condition: [viaServices(aws, "s3")],
});

/**
 * The derivatives function's permissions, each statement one need of its code
 * (functions/image-derivatives/adapters). Exported for the least-privilege tests.
 */
export function derivativesPolicyStatements(props: DerivativesPolicyInputs, logGroupName: string): PolicyStatement[] {
  const renditionPrefixes = Token.isUnresolved(props.renditions)
    ? // Known at plan time only (a module variable): the same list as a Terraform expression.
      renditionPrefixesOf(props.aws, props.renditions, props.bucketName)
    : props.renditions.map((r) => `${props.aws.bucketArn(props.bucketName)}/${r.name}/*`);
  const statements: PolicyStatement[] = [
    ...readImages(props.imageBucketArn),
    {
      // Only under the configured renditions' prefixes; no read, no version deletion (the lifecycle
      // expires replaced and deleted renditions), nothing in the image bucket. DeleteObject for the
      // renditions of a deleted image, asked for only where deletions propagate.
      sid: "WriteRenditions",
      effect: "Allow",
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: renditionPrefixes,
    },
    {
      // GetItem to see what is recorded; UpdateItem (conditional on the version) adds the renditions.
      sid: "ReadAndRecordDerivatives",
      effect: "Allow",
      actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      resources: [props.tableArn],
    },
    {
      sid: "ConsumeDerivativesRequests",
      effect: "Allow",
      actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      resources: [props.queueArn],
    },
    {
      sid: "UsePipelineKeyThroughItsServices",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [props.kmsKeyArn],
      condition: [viaServices(props.aws, "dynamodb", "sqs")],
    },
    ...logsAndTraces(props.aws, logGroupName, props.tracing),
  ];
  if (props.bucketKmsKeyArn !== undefined) statements.push(useBucketKey(props.aws, props.bucketKmsKeyArn));
  if (props.renditionsKmsKeyArn !== undefined) statements.push(encryptRenditions(props.aws, props.renditionsKmsKeyArn));
  return statements;
}
