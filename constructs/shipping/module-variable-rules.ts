// How the module's variables are written: their spec, and the conditions and messages of their
// validations, built from the construct's own rules (the derivatives' settings and renditions too).
import { RENDITION_FITS, RENDITION_FORMATS, RENDITION_LIMITS } from "../../functions/image-derivatives/environment";
import { RENDITION_TYPE } from "./derivatives-module-stack";
import { DEFAULTS } from "../config/defaults";
import { RULES } from "../config/rules";

/** One input of the Terraform module. */
export interface ModuleVariableSpec {
  readonly name: string;
  readonly type: "string" | "number" | "bool" | "list(string)" | "map(string)" | typeof RENDITIONS_TYPE | typeof SUBSCRIPTION_TYPE;
  readonly description: string;
  /** Absent: the variable is required. `null`: optional, and null means none (the variable is nullable). */
  readonly default?: string | number | boolean | null | readonly string[] | Readonly<Record<string, string>>;
  /** Terraform condition over `var.<name>` and the message when it is false; several for a structured input. */
  readonly validation?:
    | { readonly condition: string; readonly message: string }
    | readonly { readonly condition: string; readonly message: string }[];
}

export const RENDITIONS_TYPE = `list(${RENDITION_TYPE})`;

/** The HCL type of the subscriptions input: keyed by names the caller writes, so `for_each` never waits on an endpoint's value. */
export const SUBSCRIPTION_TYPE = "map(object({ protocol = string, endpoint = string }))";

export const v = (name: string) => `var.${name}`;
export const hclString = (text: string) => JSON.stringify(text); // HCL and JSON escape strings the same way
/** `can(regex(<rule>, <value>))`: whether an HCL value matches a rule's pattern. */
export const matches = (rule: RegExp, value: string) => `can(regex(${hclString(rule.source)}, ${value}))`;

// Each rule mirrors a check of resolveConfig (constructs/config/resolve-config.ts), from the same RULES.
// Terraform's || evaluates both sides: can() and try() keep a null from failing the other side.
// `none`: the value that stands for "none" besides the pattern, null for an optional input, "" for an
// empty prefix (a string like any other there: no prefix).
export const pattern = (name: string, rule: { pattern: RegExp; allowed: string }, none?: "null" | '""') => ({
  condition: `${none ? `${v(name)} == ${none} || ` : ""}can(regex(${hclString(rule.pattern.source)}, ${v(name)}))`,
  message: `Invalid ${name}: must be ${none === "null" ? "null (none) or " : none ? "empty or " : ""}${rule.allowed}.`,
});
/** A list of at most `max` values, each matching `rule` (`item` names the value in the condition). */
export const listOf = (name: string, max: number, rule: { pattern: RegExp; allowed: string }, item = "arn") => ({
  condition: `length(${v(name)}) <= ${max} && alltrue([for ${item} in ${v(name)} : ${matches(rule.pattern, item)}])`,
  message: `Invalid ${name}: must be at most ${max} values, each ${rule.allowed}.`,
});
export const range = (name: string, field: string, optional = false) => {
  const [min, max] = RULES.ranges[field];
  const inRange = `${v(name)} >= ${min} && ${v(name)} <= ${max} && floor(${v(name)}) == ${v(name)}`;
  return {
    condition: optional ? `${v(name)} == null || try(${inRange}, false)` : inRange,
    message: `Invalid ${name}: must be ${optional ? "null (none) or " : ""}an integer from ${min} to ${max}.`,
  };
};

/** A map of tags within AWS's limits, as tagProblems checks them (Terraform's length() counts characters, as AWS's limits do). */
export const tagLimits = (name: string) => {
  const { maxCount, keyMaxLength, valueMaxLength, characters, reservedKeyPrefix, allowed } = RULES.tags;
  const each = `length(key) >= 1 && length(key) <= ${keyMaxLength} && length(value) <= ${valueMaxLength} && ${matches(characters, "key")} && ${matches(characters, "value")} && !startswith(lower(key), ${hclString(reservedKeyPrefix)})`;
  return {
    condition: `length(${v(name)}) <= ${maxCount} && alltrue([for key, value in ${v(name)} : ${each}])`,
    message: `Invalid ${name}: must be ${allowed} (AWS's limits for tags).`,
  };
};

/** One `derivatives_<setting>` variable per setting of the derivatives function, ranged like the construct's. */
export function derivativesSettingVariables(): ModuleVariableSpec[] {
  const settings: [string, keyof typeof DEFAULTS.derivatives, string][] = [
    ["memory_size", "memorySize", "Memory of the derivatives function in MB (also its share of CPU)."],
    [
      "timeout_seconds",
      "timeoutSeconds",
      "Timeout of one batch of the derivatives function; the queue's visibility timeout is six times this.",
    ],
    [
      "max_source_bytes",
      "maxSourceBytes",
      "Largest image, in bytes, read whole to make renditions; larger ones are recorded as too-large.",
    ],
    ["batch_size", "batchSize", "Derivatives requests per invocation."],
    ["max_receive_count", "maxReceiveCount", "Deliveries of a derivatives request before it goes to its dead-letter queue."],
    [
      "noncurrent_version_expiration_days",
      "noncurrentVersionExpirationDays",
      "Days after which replaced renditions (noncurrent versions) are deleted.",
    ],
    [
      "queue_age_alarm_seconds",
      "queueAgeAlarmSeconds",
      "Age in seconds of the oldest waiting derivatives request above which its alarm fires.",
    ],
    [
      "maximum_concurrency",
      "maximumConcurrency",
      "Concurrent invocations of the derivatives function its queue may drive (bounds the account's concurrency, the table's writes and the memory in use).",
    ],
  ];
  return settings.map(([suffix, field, description]) => ({
    name: `derivatives_${suffix}`,
    type: "number" as const,
    description: `${description} Used only with derivatives.`,
    default: DEFAULTS.derivatives[field],
    validation: range(`derivatives_${suffix}`, `derivativesSettings.${field}`),
  }));
}

/** `event_delivery` and one `event_queue_<setting>` variable per setting of EventBridge delivery's queue. */
export function eventDeliveryVariables(): ModuleVariableSpec[] {
  const allowed = RULES.eventDelivery.map((d) => JSON.stringify(d));
  const settings: [string, keyof typeof DEFAULTS.eventQueue, string][] = [
    [
      "maximum_concurrency",
      "maximumConcurrency",
      "Concurrent invocations of the processor the event queue may drive (a burst waits in the queue instead of throttling the table or taking the account's concurrency).",
    ],
    ["batch_size", "batchSize", "Upload events per invocation of the processor; a failed one returns to the queue alone."],
    ["max_receive_count", "maxReceiveCount", "Deliveries of an upload event before it goes to the event dead-letter queue."],
    ["age_alarm_seconds", "queueAgeAlarmSeconds", "Age in seconds of the oldest waiting upload event above which its alarm fires."],
  ];
  return [
    {
      name: "event_delivery",
      type: "string",
      description:
        'How the bucket\'s events reach the processor: "s3-notification" (the bucket invokes it; the module owns the bucket\'s notification configuration) or "eventbridge" (the bucket sends its events to EventBridge; a rule takes the images\' events, by suffix in any letter case, into an encrypted queue the processor consumes in batches, and other consumers can add rules of their own).',
      default: DEFAULTS.eventDelivery,
      validation: {
        condition: `contains([${allowed.join(", ")}], ${v("event_delivery")})`,
        message: `Invalid event_delivery: must be one of ${allowed.join(", ")}.`,
      },
    },
    ...settings.map(([suffix, field, description]) => ({
      name: `event_queue_${suffix}`,
      type: "number" as const,
      description: `${description} Used only with event_delivery = "eventbridge".`,
      default: DEFAULTS.eventQueue[field],
      validation: range(`event_queue_${suffix}`, `eventQueue.${field}`),
    })),
  ];
}

/**
 * `create_bucket` and `existing_bucket_name`, `use_bucket_kms_key` and the two keys it goes with, and
 * what may not be set beside an existing bucket. The switches, not the names and ARNs, decide what is
 * counted: those may be references to the caller's resources, known only after apply.
 */
export function existingBucketVariables(): ModuleVariableSpec[] {
  // Owned: the module's bucket; not: existing_bucket_name's.
  const owned = v("create_bucket");
  // The owner's settings: refused beside an existing bucket unless left as they are by default.
  const ownerOnly: [string, string][] = [
    ["force_destroy", `${v("force_destroy")} == false`],
    ["bucket_kms_key_arn", `${v("bucket_kms_key_arn")} == null`],
    ["noncurrent_version_expiration_days", `${v("noncurrent_version_expiration_days")} == ${DEFAULTS.noncurrentVersionExpirationDays}`],
    [
      "abort_incomplete_multipart_upload_days",
      `${v("abort_incomplete_multipart_upload_days")} == ${DEFAULTS.abortIncompleteMultipartUploadDays}`,
    ],
    ["access_log_retention_days", `${v("access_log_retention_days")} == ${DEFAULTS.accessLogRetentionDays}`],
  ];
  return [
    {
      name: "create_bucket",
      type: "bool",
      description:
        "Make and own the image bucket. false: process the images of existing_bucket_name instead (a bucket the module does not own). A switch beside the name, so the plan knows what to make even when the name is a reference (aws_s3_bucket.uploads.bucket).",
      default: true,
      // On the switch, which they are about (a validation must read its own variable).
      validation: [
        {
          condition: `${owned} == (${v("existing_bucket_name")} == null)`,
          message:
            "Invalid create_bucket: set create_bucket = false together with existing_bucket_name (a bucket the module does not own), or leave existing_bucket_name null with create_bucket = true (the module makes its bucket).",
        },
        {
          condition: `${owned} || ${v("event_delivery")} == "eventbridge"`,
          message:
            'Invalid existing_bucket_name: a bucket the module does not own (create_bucket = false) needs event_delivery = "eventbridge" (the module never writes its notification configuration).',
        },
        ...ownerOnly.map(([name, asDefault]) => ({
          condition: `${owned} || ${asDefault}`,
          message: `Invalid ${name}: it is a setting of the bucket itself, which its owner makes; leave it at its default with existing_bucket_name (create_bucket = false)${name === "bucket_kms_key_arn" ? ", and give the bucket's key as existing_bucket_kms_key_arn" : ""}.`,
        })),
      ],
    },
    {
      name: "existing_bucket_name",
      type: "string",
      description:
        'Name of a bucket the module does not own, whose images it processes, with create_bucket = false: no bucket, bucket policy, lifecycle, access logging or notification configuration is created, and a destroy leaves the bucket. A literal or a reference. Needs event_delivery = "eventbridge" (the bucket\'s owner turns its EventBridge delivery on). null: the module makes and owns its bucket.',
      default: null,
      validation: pattern("existing_bucket_name", RULES.bucketName, "null"),
    },
    {
      name: "existing_bucket_kms_key_arn",
      type: "string",
      description:
        "ARN of the KMS key the existing bucket's objects are encrypted with (SSE-KMS), with use_bucket_kms_key = true; the functions may decrypt with it through S3. A literal or a reference. null: SSE-S3. Used only with existing_bucket_name.",
      default: null,
      validation: [
        pattern("existing_bucket_kms_key_arn", RULES.kmsKeyArn, "null"),
        {
          condition: `${v("existing_bucket_kms_key_arn")} == null || !${owned}`,
          message:
            "Invalid existing_bucket_kms_key_arn: it is the key of an existing bucket; give existing_bucket_name and create_bucket = false too (the module's own bucket takes bucket_kms_key_arn).",
        },
      ],
    },
    {
      name: "use_bucket_kms_key",
      type: "bool",
      description:
        "The image bucket's objects are encrypted with a customer managed KMS key given as bucket_kms_key_arn (the module's bucket, SSE-KMS with a bucket key) or existing_bucket_kms_key_arn (an existing bucket's): the functions are granted kms:Decrypt on it through S3. A switch beside the ARN, so the plan knows the grant even when the ARN is a reference (aws_kms_key.images.arn).",
      default: false,
      validation: {
        condition: `${v("use_bucket_kms_key")} == ((${owned} ? ${v("bucket_kms_key_arn")} : ${v("existing_bucket_kms_key_arn")}) != null)`,
        message:
          "Invalid use_bucket_kms_key: set use_bucket_kms_key = true exactly when the image bucket's key is given: bucket_kms_key_arn with create_bucket = true, existing_bucket_kms_key_arn with create_bucket = false.",
      },
    },
  ];
}

/** One `alarm_<threshold>` variable per alarm threshold, ranged like the construct's. */
export function alarmThresholdVariables(): ModuleVariableSpec[] {
  const counts: [string, "lambdaErrors" | "lambdaThrottles" | "dynamoWriteThrottles", string][] = [
    [
      "alarm_lambda_errors",
      "lambdaErrors",
      "Lambda Errors of the processor (and of the derivatives function) per 5 minutes above which their errors alarm fires.",
    ],
    ["alarm_lambda_throttles", "lambdaThrottles", "Lambda Throttles of the processor per 5 minutes above which its throttles alarm fires."],
    [
      "alarm_dynamo_write_throttles",
      "dynamoWriteThrottles",
      "DynamoDB WriteThrottleEvents of the table per 5 minutes above which its alarm fires.",
    ],
  ];
  return [
    ...counts.map(([name, field, description]) => ({
      name,
      type: "number" as const,
      description,
      default: DEFAULTS.alarmThresholds[field],
      validation: range(name, `alarmThresholds.${field}`),
    })),
    {
      name: "alarm_duration_share_of_timeout",
      type: "number",
      description: "Share of the processor's timeout its slowest invocation may take before the duration alarm fires.",
      default: DEFAULTS.alarmThresholds.durationShareOfTimeout,
      validation: {
        condition: `${v("alarm_duration_share_of_timeout")} > 0 && ${v("alarm_duration_share_of_timeout")} < 1`,
        message: "Invalid alarm_duration_share_of_timeout: must be a number greater than 0 and less than 1.",
      },
    },
  ];
}

/** The renditions' rules (functions/image-derivatives/core/renditions.ts), one validation each. */
export function derivativesValidations() {
  const each = (test: string) => `alltrue([for r in var.derivatives : ${test}])`;
  // Which renditions break a rule, by index and field, at the end of the message (Terraform >= 1.9
  // lets a message read the variable): "... (derivatives[1].fit = \"fill\")".
  const offenders = (test: string, ...fields: string[]) =>
    ` (\${join(", ", [for i, r in var.derivatives : "derivatives[\${i}]: ${fields.map((f) => `${f} = \${jsonencode(r.${f})}`).join(", ")}" if !(${test})])})`;
  const [min, max] = RENDITION_LIMITS.size;
  const [qMin, qMax] = RENDITION_LIMITS.quality;
  // try(): comparisons with an attribute left out (null) fail, and the condition then reads false.
  const inRange = (attr: string, low: number, high: number) =>
    `(r.${attr} == null || try(r.${attr} >= ${low} && r.${attr} <= ${high} && floor(r.${attr}) == r.${attr}, false))`;
  return [
    {
      condition: `length(var.derivatives) <= ${RENDITION_LIMITS.count}`,
      message: `Invalid derivatives: at most ${RENDITION_LIMITS.count} renditions.`,
    },
    {
      condition: `${each(`can(regex(${hclString(RENDITION_LIMITS.name.source)}, r.name))`)} && length(distinct([for r in var.derivatives : r.name])) == length(var.derivatives)`,
      message: `Invalid derivatives: each name must be unique and ${RENDITION_LIMITS.nameAllowed}${offenders(`can(regex(${hclString(RENDITION_LIMITS.name.source)}, r.name))`, "name")}.`,
    },
    {
      condition: each(`(r.width != null || r.height != null) && ${inRange("width", min, max)} && ${inRange("height", min, max)}`),
      message: `Invalid derivatives: each rendition needs a width, a height or both, integers from ${min} to ${max}${offenders(`(r.width != null || r.height != null) && ${inRange("width", min, max)} && ${inRange("height", min, max)}`, "width", "height")}.`,
    },
    {
      condition: each(`contains(${JSON.stringify(RENDITION_FITS)}, r.fit) && (r.fit != "cover" || (r.width != null && r.height != null))`),
      message: `Invalid derivatives: fit must be one of ${RENDITION_FITS.join(", ")}, and cover needs both width and height${offenders(`contains(${JSON.stringify(RENDITION_FITS)}, r.fit) && (r.fit != "cover" || (r.width != null && r.height != null))`, "fit")}.`,
    },
    {
      condition: each(`contains(${JSON.stringify(RENDITION_FORMATS)}, r.format)`),
      message: `Invalid derivatives: format must be one of ${RENDITION_FORMATS.join(", ")}${offenders(`contains(${JSON.stringify(RENDITION_FORMATS)}, r.format)`, "format")}.`,
    },
    {
      condition: each(inRange("quality", qMin, qMax)),
      message: `Invalid derivatives: quality must be an integer from ${qMin} to ${qMax}${offenders(inRange("quality", qMin, qMax), "quality")}.`,
    },
  ];
}
