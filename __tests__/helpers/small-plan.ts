/**
 * A small `terraform show -json` plan, written by hand in Terraform's plan format (the deploy suite
 * diagrams real plans): a bucket whose policy changes, its function replaced, a table changed in
 * place, a dead-letter queue destroyed, a queue created, and two alarms of which one is new.
 */
export function smallPlan(): any {
  const resource = (type: string, name: string, values: Record<string, unknown>) => ({ mode: "managed", type, name, values });
  const prior = [
    resource("aws_s3_bucket", "images", { bucket: "images-bucket" }),
    resource("aws_s3_bucket_policy", "images", { policy: "{}" }),
    resource("aws_lambda_function", "processor", { function_name: "Processor" }),
    resource("aws_dynamodb_table", "metadata", { name: "Metadata" }),
    resource("aws_sqs_queue", "dlq", { name: "Processor-DLQ" }),
    resource("aws_cloudwatch_metric_alarm", "errors", { alarm_name: "errors" }),
  ];
  const planned = [
    ...prior.filter((r) => r.name !== "dlq"),
    resource("aws_sqs_queue", "requests", { name: "Requests" }),
    resource("aws_cloudwatch_metric_alarm", "throttles", { alarm_name: "throttles" }),
  ];
  const change = (type: string, name: string, actions: string[]) => ({
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    change: { actions },
  });
  return {
    format_version: "1.2",
    configuration: {
      root_module: {
        resources: [
          {
            mode: "managed",
            type: "aws_s3_bucket_policy",
            name: "images",
            expressions: { bucket: { references: ["aws_s3_bucket.images.id", "aws_s3_bucket.images"] } },
          },
          {
            mode: "managed",
            type: "aws_lambda_function",
            name: "processor",
            expressions: {
              environment: [{ variables: { references: ["aws_dynamodb_table.metadata.name", "aws_dynamodb_table.metadata"] } }],
            },
          },
        ],
      },
    },
    prior_state: { values: { root_module: { resources: prior } } },
    planned_values: { root_module: { resources: planned } },
    resource_changes: [
      change("aws_s3_bucket", "images", ["no-op"]),
      change("aws_s3_bucket_policy", "images", ["update"]),
      change("aws_lambda_function", "processor", ["delete", "create"]),
      change("aws_dynamodb_table", "metadata", ["update"]),
      change("aws_sqs_queue", "dlq", ["delete"]),
      change("aws_sqs_queue", "requests", ["create"]),
      change("aws_cloudwatch_metric_alarm", "errors", ["no-op"]),
      change("aws_cloudwatch_metric_alarm", "throttles", ["create"]),
    ],
  };
}
