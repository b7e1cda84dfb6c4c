// The processor's permissions (constructs/parts/processor-function.ts), each statement one need of its code.
import type { AwsContext } from "../support/aws-context";
import type { PolicyStatement } from "../support/policy-document";
import { logsAndTraces, readImages, viaServices } from "./function-statements";
import type { ProcessorFunctionProps } from "./processor-function-props";

/** S3 may decrypt images with the bucket's key on the processor's behalf. */
export const decryptImages = (aws: AwsContext, bucketKmsKeyArn: string): PolicyStatement => ({
  sid: "DecryptImages",
  effect: "Allow",
  actions: ["kms:Decrypt"],
  resources: [bucketKmsKeyArn],
  condition: [viaServices(aws, "s3")],
});

/**
 * The processor's permissions, each statement one need of the code (see the adapters in
 * functions/image-processor/adapters). Exported so the least-privilege tests can read them.
 */
export function processorPolicyStatements(
  props: Omit<ProcessorFunctionProps, "aws"> & { aws: AwsContext },
  logGroupName: string,
): PolicyStatement[] {
  const { aws } = props;
  const statements: PolicyStatement[] = [
    // No PutObject: a function that writes to the bucket that triggers it can invoke itself without end.
    ...readImages(props.bucketArn),
    // A module variable is known at plan time only: the grant is there, used only when deletions come.
    ...(props.propagateDeletions === false
      ? []
      : [
          {
            // A delete marker names itself, not the version it hides: the key's versions tell which.
            sid: "FindDeletedImageVersions",
            effect: "Allow" as const,
            actions: ["s3:ListBucketVersions"],
            resources: [props.bucketArn],
          },
        ]),
    {
      // Conditional PutItem of the item; UpdateItem clears its pending-notification mark, rewrites a
      // reprocessed item's facts and marks a deleted image's item.
      // No GetItem, Query, Scan or DeleteItem: the processor never reads or deletes items.
      sid: "RecordMetadata",
      effect: "Allow",
      actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
      resources: [props.tableArn],
    },
    {
      sid: "PublishNotifications",
      effect: "Allow",
      actions: ["sns:Publish"],
      resources: [props.topicArn],
    },
    {
      // Used by Lambda on the function's behalf to deliver failed events.
      sid: "SendFailedEventsToDeadLetterQueue",
      effect: "Allow",
      actions: ["sqs:SendMessage"],
      resources: [props.deadLetterQueueArn],
    },
    ...logsAndTraces(aws, logGroupName, props.tracing),
  ];
  if (props.kmsKeyArn !== undefined) {
    statements.push({
      sid: "UsePipelineKeyThroughItsServices",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [props.kmsKeyArn],
      condition: [viaServices(aws, "dynamodb", "sns", "sqs")],
    });
  }
  return statements;
}
