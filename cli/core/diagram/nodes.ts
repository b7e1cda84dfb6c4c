import { type Configuration, type ConfiguredResource, ofType, referencedBy } from "../configuration/resource";
import { type Concern, type DiagramNode, type NodeKind, topInstance } from "./graph";

/** The resource types drawn as nodes of their own, with what they are called. */
const DRAWN: Readonly<Record<string, { kind: NodeKind; title: string; name: (values: any) => unknown }>> = {
  aws_s3_bucket: { kind: "bucket", title: "S3 bucket", name: (v) => v.bucket },
  aws_lambda_function: { kind: "function", title: "Lambda function", name: (v) => v.function_name },
  aws_sqs_queue: { kind: "queue", title: "SQS queue", name: (v) => v.name },
  aws_sns_topic: { kind: "topic", title: "SNS topic", name: (v) => v.name },
  aws_dynamodb_table: { kind: "table", title: "DynamoDB table", name: (v) => v.name },
  aws_kms_key: { kind: "key", title: "KMS key", name: () => undefined },
  aws_cloudwatch_event_rule: { kind: "rule", title: "EventBridge rule (default bus)", name: (v) => v.name },
  aws_cloudwatch_dashboard: { kind: "dashboard", title: "CloudWatch dashboard", name: (v) => v.dashboard_name },
  aws_cloudwatch_log_group: { kind: "logs", title: "CloudWatch log group", name: (v) => v.name },
};

/** A name as deployed: the account and region as placeholders, anything else Terraform decides as <computed>. */
export function displayName(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  return value
    .replace(/\$\{data\.aws_caller_identity\.[^}]*\}/g, "<account>")
    .replace(/\$\{(?:local\.region_name|data\.aws_region\.[^}]*)\}/g, "<region>")
    .replace(/\$\{[^}]*\}/g, "<computed>");
}

/** The concern a resource serves, by its readable address (constructs/naming/addresses.ts) and type. */
export function concernOf(resource: ConfiguredResource): Concern {
  if (/derivatives/.test(resource.id)) return "Derivatives";
  if (/batch_(jobs|operations)/.test(resource.name)) return "Backfill";
  if (resource.type === "aws_cloudwatch_event_rule" || /^events/.test(resource.name)) return "Events";
  const byType: Record<string, Concern> = {
    aws_s3_bucket: "Storage",
    aws_dynamodb_table: "Metadata",
    aws_sns_topic: "Notifications",
    aws_sns_topic_subscription: "Notifications",
    aws_kms_key: "Encryption",
    aws_cloudwatch_dashboard: "Monitoring",
    aws_cloudwatch_metric_alarm: "Monitoring",
  };
  return byType[resource.type] ?? "Processing";
}

/** The id of the node that stands for every alarm of one module instance. */
export const alarmsId = (instance: string) => (instance ? `${instance}.alarms` : "alarms");

/**
 * The nodes: every drawn resource, the alarms of each instance as one node (counted from the
 * configuration: a row of constructs/naming/alarm-catalog.ts each, for the parts it has), the
 * S3 Batch Operations role, each subscription's endpoint, and where uploads come from.
 */
export function diagramNodes(configuration: Configuration): DiagramNode[] {
  const aliases = ofType(configuration, "aws_kms_alias");
  const nodes: DiagramNode[] = [];
  for (const resource of [...configuration.resources].sort((a, b) => a.id.localeCompare(b.id))) {
    const drawn = DRAWN[resource.type];
    if (!drawn) continue;
    const alias = aliases.find((a) => referencedBy(a, "target_key_id").includes(resource.id));
    const name = resource.type === "aws_kms_key" ? alias?.values.name : drawn.name(resource.values);
    nodes.push({
      id: resource.id,
      kind: drawn.kind,
      title: drawn.title,
      name: displayName(name) ?? (resource.type === "aws_kms_key" ? undefined : "(known after apply)"),
      concern: concernOf(resource),
      instance: topInstance(resource.module),
    });
  }
  for (const role of ofType(configuration, "aws_iam_role").filter((r) => r.name === "batch_operations")) {
    nodes.push({
      id: role.id,
      kind: "role",
      title: "IAM role for S3 Batch Operations",
      name: displayName(role.values.name),
      concern: "Backfill",
      instance: topInstance(role.module),
    });
  }
  const instances = [...new Set(ofType(configuration, "aws_cloudwatch_metric_alarm").map((a) => topInstance(a.module)))];
  for (const instance of instances) {
    const count = ofType(configuration, "aws_cloudwatch_metric_alarm").filter((a) => topInstance(a.module) === instance).length;
    nodes.push({ id: alarmsId(instance), kind: "alarms", title: `CloudWatch alarms (${count})`, concern: "Monitoring", instance });
  }
  for (const subscription of ofType(configuration, "aws_sns_topic_subscription")) {
    const { protocol, endpoint } = subscription.values;
    if (["lambda", "sqs"].includes(protocol) && (subscription.refs.endpoint ?? []).length > 0) continue;
    nodes.push({
      id: `${subscription.id}.endpoint`,
      kind: "external",
      title: `${protocol ?? "subscriber"} subscriber`,
      name: displayName(endpoint) ?? "(known after apply)",
      concern: "Notifications",
      instance: topInstance(subscription.module),
    });
  }
  return nodes;
}
