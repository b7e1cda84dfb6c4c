// The Terraform module's inputs: every variable typed, described, defaulted and validated with the
// construct's own rules and allowed values, so `terraform plan` refuses what synth refuses.
import { DEFAULTS } from "../config/defaults";
import {
  type ModuleVariableSpec,
  RENDITIONS_TYPE,
  derivativesSettingVariables,
  derivativesValidations,
  listOf,
  eventDeliveryVariables,
  existingBucketVariables,
  hclString,
  tagLimits,
  alarmThresholdVariables,
  pattern,
  range,
  v,
} from "./module-variable-rules";
import { RULES } from "../config/rules";
import { estateVariables } from "./module-variables-estate";

export type { ModuleVariableSpec };

/** A list of strings as HCL. */
const hclList = (values: readonly string[]) => `[${values.map(hclString).join(", ")}]`;

/**
 * The module's inputs: typed, described, defaulted (from DEFAULTS) and validated like the
 * construct's props. The module README's inputs table is generated from this list.
 */
export const MODULE_VARIABLES: readonly ModuleVariableSpec[] = [
  {
    name: "environment",
    type: "string",
    description:
      "Environment name; part of every resource name (image-storage-bucket-<environment>-<account id>, ImageMetadata-<environment>, ...).",
    validation: pattern("environment", RULES.environment),
  },
  {
    name: "name_prefix",
    type: "string",
    description:
      "Put before every resource name, followed by a hyphen (blue gives blue-image-storage-bucket-<environment>-<account id>, blue-ImageMetadata-<environment>, ...), so several instances fit in one account and region, or one per region. Empty for the source design's names.",
    default: DEFAULTS.namePrefix,
    // Cross-variable: the prefix, its hyphen and the environment share the bucket name's room.
    validation: {
      condition: `${pattern("name_prefix", RULES.namePrefix, '""').condition} && length(${v("name_prefix")}) + (${v("name_prefix")} == "" ? 0 : 1) + length(${v("environment")}) <= ${RULES.namePrefix.maxWithEnvironment} && !anytrue([for reserved in ${hclList(RULES.namePrefix.reservedPrefixes)} : startswith(${v("name_prefix")}, reserved)])`,
      message: `Invalid name_prefix: must be ${RULES.namePrefix.allowed}, and with its hyphen and the environment at most ${RULES.namePrefix.maxWithEnvironment} characters (bucket names have at most 63).`,
    },
  },
  {
    name: "tags",
    type: "map(string)",
    description:
      "Tags merged onto every resource that takes tags (a resource's own Purpose tag wins on a clash); the caller's provider default_tags apply too.",
    default: {},
    validation: tagLimits("tags"),
  },
  {
    name: "notification_email",
    type: "string",
    description:
      "Email address subscribed to the notifications topic (it receives the alarms); null for no subscription, which a deployment that keeps its data (force_destroy = false) must allow explicitly with allow_unsubscribed_notifications.",
    default: null,
    validation: pattern("notification_email", RULES.notificationEmail, "null"),
  },
  {
    name: "allow_unsubscribed_notifications",
    type: "bool",
    description:
      "Accept a deployment that keeps its data (force_destroy = false) with no notification_email: its alarms then reach only the subscribers you add to the topic.",
    default: DEFAULTS.allowUnsubscribedNotifications,
    // Terraform >= 1.9 lets a validation read other variables; it runs with the plan, after the
    // single-variable checks, so it sits here rather than on notification_email's own rule.
    validation: {
      condition: `${v("allow_unsubscribed_notifications")} || ${v("notification_email")} != null || length(${v("subscriptions")}) > 0 || length(${v("alarm_actions")}) > 0 || ${v("force_destroy")}`,
      message:
        "Invalid notification_email: a deployment that keeps its data (force_destroy = false) needs someone to receive its alarms: set notification_email, subscriptions or alarm_actions, or allow_unsubscribed_notifications = true if you subscribe to the topic (output sns_topic_arn) yourself.",
    },
  },
  {
    name: "propagate_deletions",
    type: "bool",
    description:
      "Deleting an image marks its item deleted (with DeletedAt, without its position, time taken or camera) and, once the key has no current version, deletes its renditions. false: the bucket's deletions are not subscribed to.",
    default: DEFAULTS.propagateDeletions,
  },
  {
    name: "email_every_notice",
    type: "bool",
    description:
      "Send notification_email every per-object notice too (one email per rejected or missing upload). false: the email receives the alarms only (the rejections alarm among them), so whoever may upload cannot flood the mailbox; other subscribers of the topic still receive every notice.",
    default: DEFAULTS.emailEveryNotice,
  },
  ...eventDeliveryVariables(),
  {
    name: "tracing",
    type: "bool",
    description:
      "X-Ray tracing of both functions (Lambda's Active tracing, Powertools' Tracer). false: PassThrough, no Tracer loaded, no X-Ray grant needed.",
    default: DEFAULTS.tracing,
  },
  {
    name: "role_policy_arns",
    type: "list(string)",
    description:
      "ARNs of IAM policies attached to the processor's and the derivatives function's roles beside their own least-privilege policies (an organisation's mandatory policies, say): at most 10, each a literal or a reference. One attachment each, keyed by its index in the list.",
    default: [],
    validation: listOf("role_policy_arns", 10, RULES.policyArn),
  },
  {
    name: "batch_operations",
    type: "bool",
    description:
      "Make the role S3 Batch Operations assumes for `image-pipeline backfill --engine batch-operations` (it may invoke the processor and nothing else, read only the manifests, write only the completion reports) and the private bucket of manifests and reports (kept 30 days).",
    default: DEFAULTS.batchOperations,
  },
  ...existingBucketVariables(),
  ...estateVariables(),
  {
    name: "memory_size",
    type: "number",
    description: "Lambda memory in MB.",
    default: DEFAULTS.memorySize,
    validation: range("memory_size", "memorySize"),
  },
  {
    name: "timeout_seconds",
    type: "number",
    description: "Lambda timeout in seconds.",
    default: DEFAULTS.timeoutSeconds,
    validation: range("timeout_seconds", "timeoutSeconds"),
  },
  {
    name: "reserved_concurrency",
    type: "number",
    description: "Reserved concurrent executions of the processor; null for none (the account's unreserved pool).",
    default: null,
    validation: [
      range("reserved_concurrency", "reservedConcurrency", true),
      {
        // Cross-variable, as concurrencyProblems: with EventBridge delivery the queue's mapping runs up to its maximum.
        condition: `${v("reserved_concurrency")} == null || ${v("event_delivery")} != "eventbridge" || try(${v("reserved_concurrency")} >= ${v("event_queue_maximum_concurrency")}, false)`,
        message:
          'Invalid reserved_concurrency: must be at least event_queue_maximum_concurrency with event_delivery = "eventbridge", or Lambda throttles the event queue\'s batches.',
      },
    ],
  },
  {
    name: "log_retention_days",
    type: "number",
    description: "Retention of the processor's log group in days.",
    default: DEFAULTS.logRetentionDays,
    validation: {
      condition: `contains([${RULES.logRetentionDays.join(", ")}], ${v("log_retention_days")})`,
      message: `Invalid log_retention_days: must be one of ${RULES.logRetentionDays.join(", ")}.`,
    },
  },
  {
    name: "noncurrent_version_expiration_days",
    type: "number",
    description: "Days after which noncurrent object versions are deleted.",
    default: DEFAULTS.noncurrentVersionExpirationDays,
    validation: range("noncurrent_version_expiration_days", "noncurrentVersionExpirationDays"),
  },
  {
    name: "abort_incomplete_multipart_upload_days",
    type: "number",
    description: "Days after which incomplete multipart uploads are aborted.",
    default: DEFAULTS.abortIncompleteMultipartUploadDays,
    validation: range("abort_incomplete_multipart_upload_days", "abortIncompleteMultipartUploadDays"),
  },
  {
    name: "access_log_retention_days",
    type: "number",
    description: "Days the image bucket's S3 server access logs are kept (the module always records them).",
    default: DEFAULTS.accessLogRetentionDays,
    validation: range("access_log_retention_days", "accessLogRetentionDays"),
  },
  {
    name: "force_destroy",
    type: "bool",
    description: `Delete every image when the bucket is destroyed. Keep false for data you need; refused for ${DEFAULTS.protectedEnvironments.join(", ")}.`,
    default: DEFAULTS.forceDestroy,
    // The construct's rule, from the same list: protected environments never get force_destroy.
    validation: {
      condition: `!(${v("force_destroy")} && contains(${JSON.stringify(DEFAULTS.protectedEnvironments)}, ${v("environment")}))`,
      message: `Invalid force_destroy: must be false for the ${DEFAULTS.protectedEnvironments.map((e) => `"${e}"`).join(", ")} environment: it would delete every image on destroy.`,
    },
  },
  // On unless turned off, as the pipeline's data protection is (ImageProcessingPipelineProps.dataProtection).
  {
    name: "deletion_protection",
    type: "bool",
    description: "DynamoDB deletion protection of the metadata table.",
    default: DEFAULTS.dataProtection,
  },
  {
    name: "max_retry_attempts",
    type: "number",
    description: "Lambda retries of a failed event before it goes to the dead-letter queue.",
    default: DEFAULTS.maxRetryAttempts,
    validation: range("max_retry_attempts", "maxRetryAttempts"),
  },
  {
    name: "max_event_age_seconds",
    type: "number",
    description: "Maximum age of an event waiting for (re)delivery before it goes to the dead-letter queue.",
    default: DEFAULTS.maxEventAgeSeconds,
    validation: range("max_event_age_seconds", "maxEventAgeSeconds"),
  },
  {
    name: "dead_letter_retention_days",
    type: "number",
    description: "Days the dead-letter queue keeps a failed event.",
    default: DEFAULTS.deadLetterRetentionDays,
    validation: range("dead_letter_retention_days", "deadLetterRetentionDays"),
  },
  {
    name: "read_window_bytes",
    type: "number",
    description: "Bytes of the first ranged GET of each image; later GETs fetch only what the image's structure points to.",
    default: DEFAULTS.readWindowBytes,
    validation: range("read_window_bytes", "readWindowBytes"),
  },
  {
    name: "max_read_gets",
    type: "number",
    description: "Most ranged GETs for one image, the first window included (follows a JPEG's segments past large ICC/XMP/EXIF data).",
    default: DEFAULTS.maxReadGets,
    validation: range("max_read_gets", "maxReadGets"),
  },
  {
    name: "max_read_bytes",
    type: "number",
    description: "Most bytes read of one image; at least read_window_bytes.",
    default: DEFAULTS.maxReadBytes,
    validation: {
      condition: `${range("max_read_bytes", "maxReadBytes").condition} && ${v("max_read_bytes")} >= ${v("read_window_bytes")}`,
      message: `${range("max_read_bytes", "maxReadBytes").message.replace(/\.$/, "")}, and at least read_window_bytes.`,
    },
  },
  {
    name: "formats",
    type: "list(string)",
    description: `Image formats processed (keys ending in their suffixes, in any letter case, are inspected; other keys are skipped): any of ${RULES.formats.join(", ")}.`,
    default: DEFAULTS.formats,
    validation: {
      condition: `length(${v("formats")}) > 0 && length(distinct(${v("formats")})) == length(${v("formats")}) && alltrue([for f in ${v("formats")} : contains(${JSON.stringify(RULES.formats)}, f)])`,
      message: `Invalid formats: must be a non-empty list without repeats of ${RULES.formats.join(", ")}.`,
    },
  },
  {
    name: "record_gps_coordinates",
    type: "bool",
    description: "Store photos' GPS coordinates (personal data); otherwise only whether they have any (HasGps).",
    default: DEFAULTS.recordGpsCoordinates,
  },
  {
    name: "max_image_pixels",
    type: "number",
    description: "Largest accepted image in pixels (width x height); larger images are rejected.",
    default: DEFAULTS.maxImagePixels,
    validation: range("max_image_pixels", "maxImagePixels"),
  },
  {
    name: "notify_on_success",
    type: "bool",
    description: "Also notify every successfully processed image (rejected and missing images are always notified).",
    default: DEFAULTS.notifyOnSuccess,
  },
  {
    name: "bucket_kms_key_arn",
    type: "string",
    description:
      "ARN of a customer managed KMS key for the image bucket (SSE-KMS with an S3 bucket key; the functions may decrypt with it through S3), with use_bucket_kms_key = true; a literal or a reference. null for SSE-S3.",
    default: null,
    validation: pattern("bucket_kms_key_arn", RULES.kmsKeyArn, "null"),
  },
  {
    name: "role_permissions_boundary_arn",
    type: "string",
    description: "ARN of an IAM policy to set as the processor role's permissions boundary; null for none.",
    default: null,
    validation: pattern("role_permissions_boundary_arn", RULES.policyArn, "null"),
  },
  {
    name: "derivatives",
    type: RENDITIONS_TYPE,
    description:
      "Renditions to make of every processed image, into a separate private bucket at <name>/<original key>.<ext>, upright and without metadata (no GPS position ever): each { name, width and/or height, fit = inside|cover, format = webp|avif|jpeg|png, quality }. Empty for none: no derivatives resources are created.",
    default: [],
    validation: derivativesValidations(),
  },
  ...derivativesSettingVariables(),
  ...alarmThresholdVariables(),
];
