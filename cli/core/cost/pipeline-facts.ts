import { type Configuration, type ConfiguredResource, ofType, referencedBy } from "../configuration/resource";
import { topInstance } from "../diagram/graph";
import { EMITTED_METRICS } from "./emitted-metrics";

/** A nested block as either form holds it: an object in a synthesized stack, a list of one in a plan. */
const block = (value: unknown): any => (Array.isArray(value) ? value[0] : value) ?? {};
const blocks = (value: unknown): any[] => (Array.isArray(value) ? value : value ? [value] : []);
const number = (value: unknown): number | undefined =>
  typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined;

/**
 * A rotating key's period in days. KMS takes 90 to 2560 (365 when not given,
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html); a value outside
 * that range is one the reader could not get (a plan before apply; a state read from an emulator
 * that does not report the period), so it stands for the default.
 */
const rotationPeriod = (value: unknown): number => {
  const days = number(value);
  return days !== undefined && days >= 90 && days <= 2560 ? days : 365;
};

export interface FunctionFacts {
  readonly id: string;
  readonly name: string;
  readonly memoryMb: number;
  readonly architecture: "arm64" | "x86_64";
  readonly tracing: boolean;
  /** Its log group's retention; undefined when kept forever (or not managed). */
  readonly logRetentionDays?: number;
  /** Its log group's address, where the configuration manages it. */
  readonly logGroupId?: string;
  /** Custom metrics it emits (its metric definitions, one dimension set each, and Powertools' ColdStart). */
  readonly customMetrics: number;
}

export interface BucketFacts {
  readonly id: string;
  /** Days a replaced or deleted version is kept (its lifecycle); undefined: kept. */
  readonly noncurrentVersionDays?: number;
}

export interface KeyFacts {
  readonly id: string;
  /** Days between automatic rotations; undefined: not rotated. */
  readonly rotationDays?: number;
}

/** An alarm and the metrics it watches, by resolution (the seam where the constructs' alarm catalog will answer). */
export interface AlarmFacts {
  readonly id: string;
  readonly standard: number;
  readonly highResolution: number;
}

export interface QueueFacts {
  readonly id: string;
  readonly name: string;
  /** What flows through it: `events` (EventBridge delivery), `derivatives`, or a dead-letter queue. */
  readonly role: "events" | "derivatives" | "dead-letter";
  readonly encrypted: boolean;
  readonly dataKeyReuseSeconds: number;
}

/** What the estimate needs of one pipeline instance, read from its configuration. */
export interface PipelineFacts {
  readonly instance: string;
  readonly processor?: FunctionFacts & { readonly notifyOnSuccess: boolean; readonly eventBatchSize?: number };
  readonly derivatives?: FunctionFacts & { readonly renditions: readonly { name: string; width: number; height: number; fit: string }[] };
  readonly eventBridge: boolean;
  readonly emailSubscriptions: number;
  readonly eventRuleId?: string;
  readonly table?: { readonly id: string; readonly indexes: number; readonly pitr: boolean; readonly encrypted: boolean };
  readonly accessLogs?: { readonly id: string; readonly retentionDays?: number };
  /** The image bucket; undefined where the pipeline uses an existing bucket (its owner's storage and uploads). */
  readonly imageBucket?: BucketFacts;
  readonly derivativesBucket?: BucketFacts;
  readonly queues: readonly QueueFacts[];
  readonly keys: readonly KeyFacts[];
  readonly topic?: { readonly id: string; readonly encrypted: boolean };
  readonly encryptedLogGroups: number;
  readonly alarms: readonly AlarmFacts[];
  readonly dashboards: readonly string[];
}

const serviceOf = (fn: ConfiguredResource) => block(fn.values.environment).variables?.POWERTOOLS_SERVICE_NAME;

/** The instances a configuration holds ("" for a stack's one pipeline), each with its facts. */
export function pipelineFacts(configuration: Configuration): PipelineFacts[] {
  const instances = [...new Set(ofType(configuration, "aws_lambda_function").map((f) => topInstance(f.module)))];
  return instances.map((instance) =>
    factsOf({ resources: configuration.resources.filter((r) => topInstance(r.module) === instance) }, instance),
  );
}

function factsOf(configuration: Configuration, instance: string): PipelineFacts {
  const of = (type: string) => ofType(configuration, type);
  const logGroups = of("aws_cloudwatch_log_group");
  const functionFacts = (fn: ConfiguredResource): FunctionFacts => {
    const name = fn.values.function_name;
    const group = logGroups.find((g) => g.values.name === `/aws/lambda/${name}`);
    return {
      id: fn.id,
      name,
      memoryMb: number(fn.values.memory_size) ?? 128,
      architecture: blocks(fn.values.architectures)[0] === "arm64" ? "arm64" : "x86_64",
      tracing: block(fn.values.tracing_config).mode === "Active",
      logRetentionDays: number(group?.values.retention_in_days) || undefined,
      logGroupId: group?.id,
      customMetrics: 0,
    };
  };
  const mappings = of("aws_lambda_event_source_mapping");
  const consumerOf = (queue: string) => mappings.find((m) => referencedBy(m, "event_source_arn").includes(queue));
  // By its readable address, or where a configuration has others, by the service its environment names.
  const fnOf = (name: string, service: string) => of("aws_lambda_function").find((f) => f.name === name || serviceOf(f) === service);
  const processorFn = fnOf("processor", "image-processor");
  const derivativesFn = fnOf("derivatives", "image-derivatives");
  const eventMapping = processorFn && mappings.find((m) => referencedBy(m, "function_name").includes(processorFn.id));
  const table = of("aws_dynamodb_table")[0];
  const logging = of("aws_s3_bucket_logging")[0];
  const lifecycleOf = (bucket: string | undefined) =>
    of("aws_s3_bucket_lifecycle_configuration").find((l) => bucket && referencedBy(l, "bucket").includes(bucket));
  const ruleDays = (lifecycle: ConfiguredResource | undefined, pick: (rule: any) => unknown) =>
    blocks(lifecycle?.values.rule)
      .map(pick)
      .map(number)
      .find((d) => d !== undefined);
  const logTarget = logging && referencedBy(logging, "target_bucket")[0];
  const imageBucket = of("aws_s3_bucket").find((b) => b.name === "images" || b.name.endsWith("_images"));
  const queues = of("aws_sqs_queue").map((q): QueueFacts => {
    const consumer = consumerOf(q.id);
    const role = !consumer
      ? "dead-letter"
      : derivativesFn && referencedBy(consumer, "function_name").includes(derivativesFn.id)
        ? "derivatives"
        : "events";
    return {
      id: q.id,
      name: q.values.name,
      role,
      encrypted: !!q.values.kms_master_key_id || (q.refs.kms_master_key_id ?? []).length > 0,
      dataKeyReuseSeconds: number(q.values.kms_data_key_reuse_period_seconds) ?? 300,
    };
  });
  // Read from the synthesized alarms for now; the constructs' alarm catalog will answer this.
  const alarms = of("aws_cloudwatch_metric_alarm").map((alarm): AlarmFacts => {
    const queries = blocks(alarm.values.metric_query).filter((q) => q.metric);
    const metrics = queries.length > 0 ? queries.map((q) => block(q.metric)) : [alarm.values];
    const high = metrics.filter((m) => (number(m.period) ?? 60) < 60).length;
    return { id: alarm.id, standard: metrics.length - high, highResolution: high };
  });
  const bucketFacts = (bucket: ConfiguredResource | undefined): BucketFacts | undefined =>
    bucket && {
      id: bucket.id,
      noncurrentVersionDays: ruleDays(lifecycleOf(bucket.id), (r) => block(r.noncurrent_version_expiration).noncurrent_days),
    };
  const topic = of("aws_sns_topic")[0];
  const renditions = derivativesFn ? JSON.parse(block(derivativesFn.values.environment).variables?.RENDITIONS ?? "[]") : [];
  return {
    instance,
    processor: processorFn && {
      ...functionFacts(processorFn),
      customMetrics: EMITTED_METRICS.processor.length,
      notifyOnSuccess: String(block(processorFn.values.environment).variables?.NOTIFY_ON_SUCCESS) === "true",
      eventBatchSize: number(eventMapping?.values.batch_size),
    },
    derivatives: derivativesFn && { ...functionFacts(derivativesFn), customMetrics: EMITTED_METRICS.derivatives.length, renditions },
    eventBridge: of("aws_cloudwatch_event_rule").length > 0,
    eventRuleId: of("aws_cloudwatch_event_rule")[0]?.id,
    emailSubscriptions: of("aws_sns_topic_subscription").filter((s) => s.values.protocol === "email").length,
    table: table && {
      id: table.id,
      indexes: blocks(table.values.global_secondary_index).length,
      pitr: block(table.values.point_in_time_recovery).enabled === true,
      encrypted: (table.refs.server_side_encryption ?? []).length > 0 || !!block(table.values.server_side_encryption).kms_key_arn,
    },
    accessLogs:
      logging && logTarget
        ? { id: logTarget, retentionDays: ruleDays(lifecycleOf(logTarget), (r) => block(r.expiration).days) }
        : undefined,
    imageBucket: bucketFacts(imageBucket),
    derivativesBucket: bucketFacts(of("aws_s3_bucket").find((b) => b.name === "derivatives" || b.name.endsWith("_derivatives"))),
    queues,
    keys: of("aws_kms_key").map((k) => ({
      id: k.id,
      rotationDays: k.values.enable_key_rotation === true ? rotationPeriod(k.values.rotation_period_in_days) : undefined,
    })),
    topic: topic && { id: topic.id, encrypted: !!topic.values.kms_master_key_id || (topic.refs.kms_master_key_id ?? []).length > 0 },
    encryptedLogGroups: logGroups.filter((g) => !!g.values.kms_key_id || (g.refs.kms_key_id ?? []).length > 0).length,
    alarms,
    dashboards: of("aws_cloudwatch_dashboard").map((d) => d.id),
  };
}
