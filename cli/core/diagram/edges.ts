import { allReferences, type Configuration, type ConfiguredResource, ofType, referencedBy } from "../configuration/resource";
import { type DiagramEdge, type DiagramNode, type EdgeKind, byEdgeOrder, topInstance } from "./graph";
import { alarmsId } from "./nodes";

/** The argument that names the resource an auxiliary resource belongs to (a bucket's versioning, a queue's policy, ...). */
const PARENT_ARGUMENT: Readonly<Record<string, string>> = {
  aws_sqs_queue_policy: "queue_url",
  aws_sqs_queue_redrive_policy: "queue_url",
  aws_sns_topic_policy: "arn",
  aws_kms_alias: "target_key_id",
  aws_lambda_function_event_invoke_config: "function_name",
  aws_lambda_permission: "function_name",
};
export const parentArgument = (type: string) => (type.startsWith("aws_s3_bucket_") ? "bucket" : PARENT_ARGUMENT[type]);

/** S3's event types in the order its notification documentation lists them; a plan holds them sorted, a stack as written. */
const S3_EVENT_ORDER = [
  "TestEvent",
  "ObjectCreated",
  "ObjectRemoved",
  "ObjectRestore",
  "ReducedRedundancyLostObject",
  "Replication",
  "LifecycleExpiration",
  "LifecycleTransition",
  "IntelligentTiering",
  "ObjectTagging",
  "ObjectAcl",
];
const eventRank = (name: string) => (S3_EVENT_ORDER.includes(name) ? S3_EVENT_ORDER.indexOf(name) : S3_EVENT_ORDER.length);

/** The S3 event names an edge is labelled with, in S3's order: `s3:ObjectCreated:*` reads `ObjectCreated`. */
const eventNames = (events: unknown) =>
  [...new Set((Array.isArray(events) ? events : []).map((e) => String(e).replace(/^s3:/, "").replace(/:.*$/, "")))]
    .sort((a, b) => eventRank(a) - eventRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .join(", ");

/** The receive count a redrive policy moves a message after, when it is known. */
const receives = (policy: unknown) => (typeof policy === "string" ? policy.match(/maxReceiveCount"?\s*[=:]\s*(\d+)/)?.[1] : undefined);

/** The buckets an EventBridge rule's pattern names, as literal names. */
function patternBuckets(rule: ConfiguredResource): string[] {
  try {
    const names = JSON.parse(String(rule.values.event_pattern ?? "{}"))?.detail?.bucket?.name;
    return (Array.isArray(names) ? names : []).filter((n) => typeof n === "string" && !n.includes("${"));
  } catch {
    return [];
  }
}

/**
 * The edges between the nodes, with the nodes only edges reveal (where uploads come from, a bucket
 * the configuration does not manage): the way an image travels, where failures go, and the key's uses.
 */
export function diagramEdges(configuration: Configuration, nodes: readonly DiagramNode[]): { edges: DiagramEdge[]; nodes: DiagramNode[] } {
  const byId = new Map(configuration.resources.map((r) => [r.id, r]));
  const drawn = new Set(nodes.map((n) => n.id));
  const extra: DiagramNode[] = [];
  const edges = new Map<string, DiagramEdge>();
  /** The drawn node a resource id stands for: itself, the alarms together, or what an auxiliary resource belongs to. */
  const ownerOf = (id: string, depth = 0): string | undefined => {
    if (drawn.has(id)) return id;
    const resource = byId.get(id);
    if (!resource || depth > 3) return undefined;
    if (resource.type === "aws_cloudwatch_metric_alarm") return alarmsId(topInstance(resource.module));
    const parent = parentArgument(resource.type);
    const target = parent ? referencedBy(resource, parent)[0] : undefined;
    return target ? ownerOf(target, depth + 1) : undefined;
  };
  const add = (from: string | undefined, to: string | undefined, kind: EdgeKind, label: string, ranked?: DiagramEdge["ranked"]) => {
    if (!from || !to || from === to) return;
    const key = `${from} ${to} ${kind}`;
    if (!edges.has(key)) edges.set(key, { from, to, kind, label, ...(ranked === undefined ? {} : { ranked }) });
  };
  const owners = (resource: ConfiguredResource, argument: string, type?: string) =>
    referencedBy(resource, argument, type).map((id) => ownerOf(id));
  const uploads = () => {
    if (!extra.some((n) => n.id === "uploads"))
      extra.push({ id: "uploads", kind: "external", title: "Uploads", name: "PUT by your applications", concern: "Uploads", instance: "" });
    return "uploads";
  };

  for (const n of ofType(configuration, "aws_s3_bucket_notification")) {
    const bucket = owners(n, "bucket")[0];
    const events = (n.values.lambda_function ?? n.values.queue ?? n.values.topic ?? [])[0]?.events;
    for (const argument of ["lambda_function", "queue", "topic"])
      for (const target of owners(n, argument)) add(bucket, target, "flow", eventNames(events) || "S3 events");
    // A dynamic block's references are not in a plan's configuration: the function the bucket may invoke stands for them.
    if ((n.values.lambda_function ?? []).length > 0 && referencedBy(n, "lambda_function").length === 0) {
      for (const permission of ofType(configuration, "aws_lambda_permission")) {
        const mayInvoke =
          permission.values.principal === "s3.amazonaws.com" && referencedBy(permission, "source_arn").some((id) => ownerOf(id) === bucket);
        if (mayInvoke)
          for (const target of owners(permission, "function_name")) add(bucket, target, "flow", eventNames(events) || "S3 events");
      }
    }
    add(uploads(), bucket, "flow", "images");
  }
  for (const rule of ofType(configuration, "aws_cloudwatch_event_rule")) {
    for (const bucket of owners(rule, "event_pattern", "aws_s3_bucket")) add(bucket, rule.id, "flow", "S3 events via EventBridge");
    const managed = new Set(ofType(configuration, "aws_s3_bucket").map((b) => b.values.bucket));
    for (const name of patternBuckets(rule).filter((n) => !managed.has(n))) {
      const id = `existing-bucket:${name}`;
      if (!extra.some((e) => e.id === id))
        extra.push({ id, kind: "bucket", title: "S3 bucket (not managed here)", name, concern: "Storage", instance: "" });
      add(uploads(), id, "flow", "images");
      add(id, rule.id, "flow", "S3 events via EventBridge");
    }
  }
  for (const target of ofType(configuration, "aws_cloudwatch_event_target")) {
    const rule = owners(target, "rule")[0];
    for (const to of owners(target, "arn")) add(rule, to, "flow", "matching events");
    for (const to of owners(target, "dead_letter_config")) add(rule, to, "failure", "undeliverable events");
  }
  for (const mapping of ofType(configuration, "aws_lambda_event_source_mapping")) {
    const size = mapping.values.batch_size;
    for (const to of owners(mapping, "function_name"))
      for (const from of owners(mapping, "event_source_arn")) add(from, to, "flow", size ? `batches of ${size}` : "batches");
  }
  for (const queue of [...ofType(configuration, "aws_sqs_queue_redrive_policy"), ...ofType(configuration, "aws_sqs_queue")]) {
    const from = ownerOf(queue.id);
    const count = receives(queue.values.redrive_policy);
    for (const to of owners(queue, "redrive_policy"))
      add(from, to, "failure", count ? `after ${count} receives` : "after repeated receives");
  }
  for (const config of ofType(configuration, "aws_lambda_function_event_invoke_config")) {
    const retries = config.values.maximum_retry_attempts;
    for (const to of owners(config, "destination_config"))
      add(ownerOf(config.id), to, "failure", retries === undefined ? "failed events" : `failed events after ${retries} retries`);
  }
  const ENVIRONMENT_LABELS: Record<string, string> = {
    aws_dynamodb_table: "records metadata",
    aws_sns_topic: "publishes notices",
    aws_sqs_queue: "sends rendition requests",
    aws_s3_bucket: "writes renditions",
  };
  for (const fn of ofType(configuration, "aws_lambda_function")) {
    for (const id of referencedBy(fn, "environment"))
      add(fn.id, ownerOf(id), "flow", ENVIRONMENT_LABELS[byId.get(id)?.type ?? ""] ?? "uses");
    for (const to of owners(fn, "dead_letter_config")) add(fn.id, to, "failure", "failed events");
    for (const group of ofType(configuration, "aws_cloudwatch_log_group")) {
      const named = fn.values.function_name && group.values.name === `/aws/lambda/${fn.values.function_name}`;
      if (named || referencedBy(fn, "logging_config").includes(group.id)) add(fn.id, group.id, "flow", "logs");
    }
  }
  for (const alarm of ofType(configuration, "aws_cloudwatch_metric_alarm")) {
    for (const to of owners(alarm, "alarm_actions")) add(alarmsId(topInstance(alarm.module)), to, "flow", "alarm and OK");
  }
  for (const subscription of ofType(configuration, "aws_sns_topic_subscription")) {
    const topic = owners(subscription, "topic_arn")[0];
    add(
      topic,
      ownerOf(`${subscription.id}.endpoint`) ?? owners(subscription, "endpoint")[0],
      "flow",
      String(subscription.values.protocol ?? "delivers"),
    );
  }
  for (const logging of ofType(configuration, "aws_s3_bucket_logging")) {
    add(owners(logging, "bucket")[0], owners(logging, "target_bucket")[0], "flow", "access logs");
  }
  for (const policy of ofType(configuration, "aws_iam_role_policy")) {
    const role = referencedBy(policy, "role").find((id) => drawn.has(id) && byId.get(id)?.name === "batch_operations");
    if (!role) continue;
    for (const id of referencedBy(policy, "policy")) {
      const type = byId.get(id)?.type;
      // A backfill enters the flow from beside it, on demand: the role is drawn under the function, not above the flow.
      if (type === "aws_lambda_function") add(role, ownerOf(id), "flow", "invokes, one object a task", "upward");
      else add(role, ownerOf(id), "flow", "reads manifests, writes reports");
    }
  }
  const keys = new Set(ofType(configuration, "aws_kms_key").map((k) => k.id));
  for (const resource of configuration.resources) {
    if (resource.type.startsWith("aws_iam_") || resource.type.startsWith("aws_kms_")) continue;
    for (const key of allReferences(resource).filter((id) => keys.has(id))) add(key, ownerOf(resource.id), "encrypts", "encrypts");
  }
  return { edges: [...edges.values()].sort(byEdgeOrder), nodes: extra };
}
