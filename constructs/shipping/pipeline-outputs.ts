import type { Construct, IConstruct } from "constructs";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { ImageProcessingPipeline } from "../image-processing-pipeline";
import { alarmArnsUnder } from "../naming/alarm-arns";

/** One output of the pipeline: its name in the cdktf stacks (the original CloudFormation design's) and in the Terraform module. */
export interface PipelineOutput {
  /** Name in the cdktf stacks. @default none: an output only the module has */
  readonly stackName?: string;
  /** Name in the Terraform module (snake_case, as Terraform modules name outputs). */
  readonly moduleName: string;
  /** What it holds, as the stacks and the module describe it. */
  readonly description: string;
  /** The opt-in part it belongs to: a stack has it only with the part; the module always (null without). @default none */
  readonly optIn?: "derivatives" | "batchOperations" | "eventDelivery";
  /** The value; undefined when the pipeline lacks the part (an opt-in one), and the output is then left out. */
  readonly value: (
    pipeline: ImageProcessingPipeline,
  ) => string | Readonly<Record<string, string>> | readonly Readonly<Record<string, unknown>>[] | undefined;
}

/** The original CloudFormation design's five outputs and the dead-letter queue's URL, then what module consumers wire next. */
export const PIPELINE_OUTPUTS: readonly PipelineOutput[] = [
  {
    stackName: "S3BucketName",
    moduleName: "s3_bucket_name",
    description: "Name of the S3 bucket for image storage",
    value: (p) => p.imageBucket.name,
  },
  {
    stackName: "DynamoDBTableName",
    moduleName: "dynamodb_table_name",
    description: "Name of the DynamoDB table for metadata",
    value: (p) => p.table.table.name,
  },
  {
    stackName: "LambdaFunctionArn",
    moduleName: "lambda_function_arn",
    description: "ARN of the Lambda function",
    value: (p) => p.processor.function.arn,
  },
  {
    stackName: "SNSTopicArn",
    moduleName: "sns_topic_arn",
    description: "ARN of the SNS topic for notifications",
    value: (p) => p.notifications.topic.arn,
  },
  { stackName: "DashboardURL", moduleName: "dashboard_url", description: "URL to CloudWatch Dashboard", value: (p) => p.dashboardUrl },
  {
    stackName: "DeadLetterQueueUrl",
    moduleName: "dead_letter_queue_url",
    description: "URL of the SQS dead-letter queue holding events the processor could not handle",
    value: (p) => p.deadLetterQueue.queue.url,
  },
  { moduleName: "s3_bucket_arn", description: "ARN of the S3 bucket for image storage", value: (p) => p.imageBucket.arn },
  { moduleName: "sns_topic_name", description: "Name of the SNS topic for notifications", value: (p) => p.notifications.topic.name },
  { moduleName: "dashboard_name", description: "Name of the CloudWatch dashboard", value: (p) => p.monitoring.dashboard.dashboardName },
  { moduleName: "dynamodb_table_arn", description: "ARN of the DynamoDB table for metadata", value: (p) => p.table.table.arn },
  { moduleName: "lambda_function_name", description: "Name of the Lambda function", value: (p) => p.processor.function.functionName },
  { moduleName: "lambda_role_arn", description: "ARN of the Lambda function's execution role", value: (p) => p.processor.role.arn },
  { moduleName: "dead_letter_queue_arn", description: "ARN of the SQS dead-letter queue", value: (p) => p.deadLetterQueue.queue.arn },
  {
    moduleName: "kms_key_arn",
    description: "ARN of the KMS key of the table, topic, queues and logs (the pipeline's, or existing_kms_key_arn)",
    value: (p) => p.kmsKeyArn,
  },
  {
    moduleName: "kms_key_id",
    description: "Id of the pipeline's KMS key; null with existing_kms_key_arn",
    value: (p) => p.key?.keyId,
  },
  {
    moduleName: "kms_key_alias",
    description: "Alias of the pipeline's KMS key; null with existing_kms_key_arn",
    value: (p) => p.key?.aliasName,
  },
  {
    moduleName: "kms_key_policy_statements",
    description:
      "What the key's policy must admit beside IAM, as a list of IAM statement objects (CloudWatch alarms and, with EventBridge delivery, EventBridge, as AWS documents them for an encrypted topic and queue, whose own policies admit this pipeline's alarms and rule alone; CloudWatch Logs for this pipeline's log groups only; each Sid ends with the instance's name): the owner of an existing_kms_key_arn adds them to the key's policy",
    value: (p) => p.keyPolicyStatements,
  },
  {
    moduleName: "lambda_log_group_name",
    description: "Name of the processor's CloudWatch log group",
    value: (p) => p.processor.logGroup.name,
  },
  {
    moduleName: "access_log_bucket_name",
    description: "Name of the S3 bucket of the image bucket's (and the derivatives bucket's) access logs; null with existing_bucket_name",
    value: (p) => p.store?.accessLogs?.name,
  },
  {
    moduleName: "access_log_bucket_arn",
    description: "ARN of the S3 bucket of the access logs; null with existing_bucket_name",
    value: (p) => p.store?.accessLogs?.arn,
  },
  {
    moduleName: "alarm_arns",
    description: "Alarm name to ARN, for every CloudWatch alarm of the pipeline (the derivatives' and the event queue's when they exist)",
    value: (p) => alarmArnsUnder(p),
  },
  {
    stackName: "DerivativesBucketName",
    moduleName: "derivatives_bucket_name",
    optIn: "derivatives",
    description: "Name of the S3 bucket holding the renditions (with derivatives)",
    value: (p) => p.derivatives?.bucket.bucket,
  },
  {
    moduleName: "derivatives_bucket_arn",
    optIn: "derivatives",
    description: "ARN of the S3 bucket holding the renditions (with derivatives)",
    value: (p) => p.derivatives?.bucket.arn,
  },
  {
    moduleName: "derivatives_log_group_name",
    optIn: "derivatives",
    description: "Name of the derivatives function's CloudWatch log group (with derivatives)",
    value: (p) => p.derivatives?.logGroup.name,
  },
  {
    stackName: "DerivativesQueueUrl",
    moduleName: "derivatives_queue_url",
    optIn: "derivatives",
    description: "URL of the SQS queue of derivatives requests (with derivatives)",
    value: (p) => p.derivatives?.queue.url,
  },
  {
    stackName: "DerivativesDeadLetterQueueUrl",
    moduleName: "derivatives_dead_letter_queue_url",
    optIn: "derivatives",
    description: "URL of the SQS dead-letter queue of failed derivatives requests (with derivatives)",
    value: (p) => p.derivatives?.deadLetterQueue.queue.url,
  },
  {
    moduleName: "derivatives_queue_arn",
    optIn: "derivatives",
    description: "ARN of the SQS queue of derivatives requests (with derivatives)",
    value: (p) => p.derivatives?.queue.arn,
  },
  {
    moduleName: "derivatives_dead_letter_queue_arn",
    optIn: "derivatives",
    description: "ARN of the SQS dead-letter queue of failed derivatives requests (with derivatives)",
    value: (p) => p.derivatives?.deadLetterQueue.queue.arn,
  },
  {
    moduleName: "derivatives_role_arn",
    optIn: "derivatives",
    description:
      "ARN of the derivatives function's execution role (with derivatives): the role an existing bucket's owner admits beside lambda_role_arn",
    value: (p) => p.derivatives?.role.arn,
  },
  {
    stackName: "DerivativesFunctionName",
    moduleName: "derivatives_function_name",
    optIn: "derivatives",
    description: "Name of the derivatives function (with derivatives)",
    value: (p) => p.derivatives?.function.functionName,
  },
  {
    stackName: "DerivativesFunctionArn",
    moduleName: "derivatives_function_arn",
    optIn: "derivatives",
    description: "ARN of the derivatives function (with derivatives)",
    value: (p) => p.derivatives?.function.arn,
  },
  {
    stackName: "EventQueueUrl",
    moduleName: "event_queue_url",
    optIn: "eventDelivery",
    description: "URL of the SQS queue of upload events (with EventBridge delivery)",
    value: (p) => p.events?.queueUrl,
  },
  {
    stackName: "EventDeadLetterQueueUrl",
    moduleName: "event_dead_letter_queue_url",
    optIn: "eventDelivery",
    description: "URL of the SQS dead-letter queue of upload events (with EventBridge delivery)",
    value: (p) => p.events?.deadLetterQueueUrl,
  },
  {
    moduleName: "event_queue_arn",
    optIn: "eventDelivery",
    description: "ARN of the SQS queue of upload events (with EventBridge delivery)",
    value: (p) => p.events?.queueArn,
  },
  {
    moduleName: "event_dead_letter_queue_arn",
    optIn: "eventDelivery",
    description: "ARN of the SQS dead-letter queue of upload events (with EventBridge delivery)",
    value: (p) => p.events?.deadLetterQueueArn,
  },
  {
    stackName: "BatchJobsBucketName",
    moduleName: "batch_jobs_bucket_name",
    optIn: "batchOperations",
    description: "Name of the S3 bucket of Batch Operations manifests and completion reports (with batch operations)",
    value: (p) => p.batchOperations?.bucketName,
  },
  {
    moduleName: "batch_jobs_bucket_arn",
    optIn: "batchOperations",
    description: "ARN of the S3 bucket of Batch Operations manifests and completion reports (with batch operations)",
    value: (p) => p.batchOperations?.bucketArn,
  },
  {
    stackName: "BatchOperationsRoleArn",
    moduleName: "batch_operations_role_arn",
    optIn: "batchOperations",
    description: "ARN of the role S3 Batch Operations assumes for backfill jobs (with batch operations)",
    value: (p) => p.batchOperations?.roleArn,
  },
];

/** How {@link addPipelineOutputs} names a pipeline's outputs. */
export interface PipelineOutputsOptions {
  /**
   * Put before every output's name, with an underscore (`blue` gives `blue_S3BucketName`), so that
   * the outputs of several pipelines stand side by side in one stack. Letters, digits, underscores
   * and hyphens, starting with a letter or an underscore (a Terraform output's name).
   * @default none for the first pipeline whose outputs a stack gets (the names above, as the app's
   * stacks and the module have them); the pipeline's construct id for any other
   */
  readonly prefix?: string;
}

/** What Terraform accepts as an output's name. */
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The pipeline's outputs under the stacks' names or the module's. An output never replaces another
 * of the stack: the second pipeline's outputs are named by its id, or by `options.prefix`, and a
 * name already taken fails with both outputs named.
 */
export function addPipelineOutputs(
  scope: Construct,
  pipeline: ImageProcessingPipeline,
  naming: "stack" | "module",
  options: PipelineOutputsOptions = {},
): void {
  const outputs = PIPELINE_OUTPUTS.flatMap((output) => {
    const name = naming === "stack" ? output.stackName : output.moduleName;
    const value = output.value(pipeline);
    return name === undefined || value === undefined ? [] : [{ name, value, description: output.description }];
  });
  const stack = TerraformStack.of(scope);
  const taken = outputsOf(stack);
  if (options.prefix !== undefined && !OUTPUT_NAME.test(options.prefix)) {
    throw new Error(
      `prefix must be letters, digits, underscores and hyphens, starting with a letter or an underscore; got ${JSON.stringify(options.prefix)}`,
    );
  }
  // A construct id may hold what an output's name cannot (spaces, dots...).
  const byId = () => pipeline.node.id.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^(?=[0-9-])/, "_");
  const prefix = options.prefix ?? (outputs.some(({ name }) => taken.has(name)) ? byId() : undefined);
  const named = outputs.map((output) => ({ ...output, name: prefix === undefined ? output.name : `${prefix}_${output.name}` }));
  const clashes = named.filter(({ name }) => taken.has(name)).map(({ name }) => `${name} (${taken.get(name)})`);
  if (clashes.length > 0) {
    throw new Error(
      `The outputs of ${pipeline.node.path} would replace outputs the stack has: ${clashes.join(", ")}. Give addPipelineOutputs a prefix of its own.`,
    );
  }
  for (const { name, value, description } of named) {
    const output = new TerraformOutput(scope, name, { value, description });
    output.overrideLogicalId(name);
    taken.set(name, output.node.path);
  }
}

/**
 * The output names given by addPipelineOutputs in each stack, with the output's path. The stack's
 * other outputs get their names at synth (an override may come later), where a validation refuses
 * two outputs of one name.
 */
const pipelineOutputNames = new WeakMap<IConstruct, Map<string, string>>();

function outputsOf(stack: TerraformStack): Map<string, string> {
  let names = pipelineOutputNames.get(stack);
  if (names === undefined) {
    names = new Map();
    pipelineOutputNames.set(stack, names);
    stack.node.addValidation({ validate: () => outputClashes(stack) });
  }
  return names;
}

/** Outputs of one name in the stack: Terraform JSON keeps only the last. */
function outputClashes(stack: TerraformStack): string[] {
  const byName = new Map<string, string[]>();
  for (const output of stack.node.findAll().filter((node) => TerraformOutput.isTerraformOutput(node))) {
    byName.set(output.friendlyUniqueId, [...(byName.get(output.friendlyUniqueId) ?? []), output.node.path]);
  }
  return [...byName.entries()]
    .filter(([, paths]) => paths.length > 1)
    .map(([name, paths]) => `The outputs ${paths.join(" and ")} are both named ${name}: only one would remain. Give each its own name.`);
}
