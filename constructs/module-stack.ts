import { PIPELINE_ID } from "./terraform-address";
import { Construct } from "constructs";
import { TerraformHclModule, TerraformLocal, TerraformOutput, TerraformVariable, Token } from "cdktf";
import { RENDITION_FITS, RENDITION_FORMATS, RENDITION_LIMITS } from "../functions/image-derivatives/environment";
import { DerivativesModuleInputs, RENDITION_TYPE, childOutput, childOutputOrNull } from "./derivatives-module-stack";
import { DEFAULTS } from "./defaults";
import { ImageProcessingPipeline } from "./image-processing-pipeline";
import { PIPELINE_OUTPUTS, addPipelineOutputs } from "./pipeline-outputs";
import { ImageProcessingPipelineProps } from "./pipeline-props";
import { AWS_PROVIDER_REQUIREMENT, MODULE_TERRAFORM_VERSION } from "./provider-requirements";
import { ReadableAddressesStack } from "./readable-addresses-stack";
import { RULES } from "./rules";

/** One input of the Terraform module. */
export interface ModuleVariableSpec {
  readonly name: string;
  readonly type: "string" | "number" | "bool" | "list(string)" | "map(string)" | typeof RENDITIONS_TYPE;
  readonly description: string;
  /** Absent: the variable is required. `null`: optional, and null means none (the variable is nullable). */
  readonly default?: string | number | boolean | null | readonly string[] | Readonly<Record<string, string>>;
  /** Terraform condition over `var.<name>` and the message when it is false; several for a structured input. */
  readonly validation?: { readonly condition: string; readonly message: string } | readonly { readonly condition: string; readonly message: string }[];
}

const RENDITIONS_TYPE = `list(${RENDITION_TYPE})`;

/** Where the packaged module keeps the derivatives child module (scripts/package-module.mjs puts it there). */
export const DERIVATIVES_MODULE_SOURCE = "./modules/derivatives";

const v = (name: string) => `var.${name}`;
const hclString = (text: string) => JSON.stringify(text); // HCL and JSON escape strings the same way

// Each rule mirrors a check of resolveConfig (constructs/resolve-config.ts), from the same RULES.
// Terraform's || evaluates both sides: can() and try() keep a null from failing the other side.
// `none`: the value that stands for "none" besides the pattern, null for an optional input, "" for an
// empty prefix (a string like any other there: no prefix).
const pattern = (name: string, rule: { pattern: RegExp; allowed: string }, none?: "null" | '""') => ({
  condition: `${none ? `${v(name)} == ${none} || ` : ""}can(regex(${hclString(rule.pattern.source)}, ${v(name)}))`,
  message: `Invalid ${name}: must be ${none === "null" ? "null (none) or " : none ? "empty or " : ""}${rule.allowed}.`,
});
const range = (name: string, field: string, optional = false) => {
  const [min, max] = RULES.ranges[field];
  const inRange = `${v(name)} >= ${min} && ${v(name)} <= ${max} && floor(${v(name)}) == ${v(name)}`;
  return {
    condition: optional ? `${v(name)} == null || try(${inRange}, false)` : inRange,
    message: `Invalid ${name}: must be ${optional ? "null (none) or " : ""}an integer from ${min} to ${max}.`,
  };
};

/**
 * The module's inputs: typed, described, defaulted (from DEFAULTS) and validated like the
 * construct's props. The module README's inputs table is generated from this list.
 */
export const MODULE_VARIABLES: readonly ModuleVariableSpec[] = [
  {
    name: "environment",
    type: "string",
    description: "Environment name; part of every resource name (image-storage-bucket-<environment>-<account id>, ImageMetadata-<environment>, ...).",
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
      condition: `${pattern("name_prefix", RULES.namePrefix, '""').condition} && length(${v("name_prefix")}) + (${v("name_prefix")} == "" ? 0 : 1) + length(${v("environment")}) <= ${RULES.namePrefix.maxWithEnvironment}`,
      message: `Invalid name_prefix: must be ${RULES.namePrefix.allowed}, and with its hyphen and the environment at most ${RULES.namePrefix.maxWithEnvironment} characters (bucket names have at most 63).`,
    },
  },
  {
    name: "tags",
    type: "map(string)",
    description: "Tags merged onto every resource that takes tags (a resource's own Purpose tag wins on a clash); the caller's provider default_tags apply too.",
    default: {},
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
    description: "Accept a deployment that keeps its data (force_destroy = false) with no notification_email: its alarms then reach only the subscribers you add to the topic.",
    default: DEFAULTS.allowUnsubscribedNotifications,
    // Terraform >= 1.9 lets a validation read other variables; it runs with the plan, after the
    // single-variable checks, so it sits here rather than on notification_email's own rule.
    validation: {
      condition: `${v("allow_unsubscribed_notifications")} || ${v("notification_email")} != null || ${v("force_destroy")}`,
      message:
        "Invalid notification_email: a deployment that keeps its data (force_destroy = false) needs someone to receive its alarms: set notification_email, or allow_unsubscribed_notifications = true if you subscribe to the topic (output sns_topic_arn) yourself.",
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
  { name: "memory_size", type: "number", description: "Lambda memory in MB.", default: DEFAULTS.memorySize, validation: range("memory_size", "memorySize") },
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
    validation: range("reserved_concurrency", "reservedConcurrency", true),
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
    default: false,
    // The construct's rule, from the same list: protected environments never get force_destroy.
    validation: {
      condition: `!(${v("force_destroy")} && contains(${JSON.stringify(DEFAULTS.protectedEnvironments)}, ${v("environment")}))`,
      message: `Invalid force_destroy: must be false for the ${DEFAULTS.protectedEnvironments.map((e) => `"${e}"`).join(", ")} environment: it would delete every image on destroy.`,
    },
  },
  { name: "deletion_protection", type: "bool", description: "DynamoDB deletion protection of the metadata table.", default: true },
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
    description: "ARN of a customer managed KMS key for the image bucket (SSE-KMS with an S3 bucket key; the processor may decrypt with it through S3); null for SSE-S3.",
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
];

/** One `derivatives_<setting>` variable per setting of the derivatives function, ranged like the construct's. */
function derivativesSettingVariables(): ModuleVariableSpec[] {
  const settings: [string, keyof typeof DEFAULTS.derivatives, string][] = [
    ["memory_size", "memorySize", "Memory of the derivatives function in MB (also its share of CPU)."],
    ["timeout_seconds", "timeoutSeconds", "Timeout of one batch of the derivatives function; the queue's visibility timeout is six times this."],
    ["max_source_bytes", "maxSourceBytes", "Largest image, in bytes, read whole to make renditions; larger ones are recorded as too-large."],
    ["batch_size", "batchSize", "Derivatives requests per invocation."],
    ["max_receive_count", "maxReceiveCount", "Deliveries of a derivatives request before it goes to its dead-letter queue."],
    ["noncurrent_version_expiration_days", "noncurrentVersionExpirationDays", "Days after which replaced renditions (noncurrent versions) are deleted."],
    ["queue_age_alarm_seconds", "queueAgeAlarmSeconds", "Age in seconds of the oldest waiting derivatives request above which its alarm fires."],
    ["maximum_concurrency", "maximumConcurrency", "Concurrent invocations of the derivatives function its queue may drive (bounds the account's concurrency, the table's writes and the memory in use)."],
  ];
  return settings.map(([suffix, field, description]) => ({
    name: `derivatives_${suffix}`,
    type: "number" as const,
    description: `${description} Used only with derivatives.`,
    default: DEFAULTS.derivatives[field],
    validation: range(`derivatives_${suffix}`, `derivativesSettings.${field}`),
  }));
}

/** The renditions' rules (functions/image-derivatives/core/renditions.ts), one validation each. */
function derivativesValidations() {
  const each = (test: string) => `alltrue([for r in var.derivatives : ${test}])`;
  // Which renditions break a rule, by index and field, at the end of the message (Terraform >= 1.9
  // lets a message read the variable): "... (derivatives[1].fit = \"fill\")".
  const offenders = (test: string, ...fields: string[]) =>
    ` (\${join(", ", [for i, r in var.derivatives : "derivatives[\${i}]: ${fields.map((f) => `${f} = \${jsonencode(r.${f})}`).join(", ")}" if !(${test})])})`;
  const [min, max] = RENDITION_LIMITS.size;
  const [qMin, qMax] = RENDITION_LIMITS.quality;
  // try(): comparisons with an attribute left out (null) fail, and the condition then reads false.
  const inRange = (attr: string, low: number, high: number) => `(r.${attr} == null || try(r.${attr} >= ${low} && r.${attr} <= ${high} && floor(r.${attr}) == r.${attr}, false))`;
  return [
    { condition: `length(var.derivatives) <= ${RENDITION_LIMITS.count}`, message: `Invalid derivatives: at most ${RENDITION_LIMITS.count} renditions.` },
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
    { condition: each(inRange("quality", qMin, qMax)), message: `Invalid derivatives: quality must be an integer from ${qMin} to ${qMax}${offenders(inRange("quality", qMin, qMax), "quality")}.` },
  ];
}

/** An optional variable whose default is null (cdktf's TerraformVariable cannot write a null default itself). */
function withNullDefault(variable: TerraformVariable, nullDefault: boolean): TerraformVariable {
  if (nullDefault) variable.addOverride("default", null);
  return variable;
}

/** Provider requirements of the module; the caller configures the providers. */
export const MODULE_REQUIRED_PROVIDERS = { aws: AWS_PROVIDER_REQUIREMENT };

/**
 * The pipeline as a self-contained Terraform child module: variables in, snake_case outputs
 * out (PIPELINE_OUTPUTS maps them to the stacks' names), no backend and no provider configuration (the caller's providers
 * are inherited, so the module works with count, for_each and depends_on).
 */
export class ImageProcessingModuleStack extends ReadableAddressesStack {
  readonly pipeline: ImageProcessingPipeline;

  constructor(scope: Construct, id: string) {
    super(scope, id, [PIPELINE_ID]);
    const vars = Object.fromEntries(
      MODULE_VARIABLES.map((spec) => [
        spec.name,
        withNullDefault(
          new TerraformVariable(this, spec.name, {
            type: spec.type,
            description: spec.description,
            default: spec.default ?? undefined,
            nullable: spec.default === null,
            validation: spec.validation && [spec.validation].flat().map((rule) => ({ condition: `\${${rule.condition}}`, errorMessage: rule.message })),
          }),
          spec.default === null,
        ),
      ]),
    );
    const number = (name: string) => vars[name].numberValue;
    const bool = (name: string) => Token.asAny(vars[name].booleanValue) as unknown as boolean;
    // Null is none: it leaves the argument unset.
    const orNull = (name: string) => vars[name].stringValue;

    const props: ImageProcessingPipelineProps = {
      environment: vars.environment.stringValue,
      namePrefix: vars.name_prefix.stringValue,
      tags: Token.asAny(vars.tags.value) as unknown as Record<string, string>,
      notificationEmail: vars.notification_email.stringValue,
      emailEveryNotice: bool("email_every_notice"),
      propagateDeletions: bool("propagate_deletions"),
      memorySize: number("memory_size"),
      timeoutSeconds: number("timeout_seconds"),
      reservedConcurrency: number("reserved_concurrency"),
      logRetentionDays: number("log_retention_days"),
      noncurrentVersionExpirationDays: number("noncurrent_version_expiration_days"),
      abortIncompleteMultipartUploadDays: number("abort_incomplete_multipart_upload_days"),
      // A reusable module is for shared environments: access logging is always on.
      accessLogging: true,
      accessLogRetentionDays: number("access_log_retention_days"),
      forceDestroy: bool("force_destroy"),
      deletionProtection: bool("deletion_protection"),
      maxRetryAttempts: number("max_retry_attempts"),
      maxEventAgeSeconds: number("max_event_age_seconds"),
      deadLetterRetentionDays: number("dead_letter_retention_days"),
      readWindowBytes: number("read_window_bytes"),
      maxReadGets: number("max_read_gets"),
      maxReadBytes: number("max_read_bytes"),
      formats: vars.formats.listValue as unknown as ImageProcessingPipelineProps["formats"],
      recordGpsCoordinates: bool("record_gps_coordinates"),
      maxImagePixels: number("max_image_pixels"),
      notifyOnSuccess: bool("notify_on_success"),
      bucketKmsKeyArn: orNull("bucket_kms_key_arn"),
      rolePermissionsBoundaryArn: orNull("role_permissions_boundary_arn"),
      // The derivatives part is a child module, all or nothing by one count (derivatives-module-stack.ts).
      externalDerivatives: {
        queueUrl: childOutput(DERIVATIVES_MODULE, "queue_url"),
        enabled: Token.asAny(new TerraformLocal(this, "derivatives_enabled", `\${length(var.derivatives) > 0}`).asBoolean) as unknown as boolean,
      },
    };
    this.pipeline = new ImageProcessingPipeline(this, PIPELINE_ID, props);
    addPipelineOutputs(this, this.pipeline, "module");
    this.addDerivativesModule(vars, props);

    this.addOverride("terraform.required_providers", MODULE_REQUIRED_PROVIDERS);
    this.addOverride("terraform.required_version", MODULE_TERRAFORM_VERSION);
  }

  /** The derivatives child module, counted in only with renditions, and its outputs (null without). */
  private addDerivativesModule(vars: Record<string, TerraformVariable>, props: ImageProcessingPipelineProps): void {
    const { pipeline } = this;
    const variable = (name: string) => vars[name].value;
    const inputs: DerivativesModuleInputs = {
      environment: variable("environment"),
      // The pipeline's own rule (image-processing-pipeline.ts): "<prefix>-", or nothing.
      name_prefix_with_hyphen: '${var.name_prefix == "" ? "" : format("%s-", var.name_prefix)}',
      instance_name: pipeline.instanceName,
      renditions: variable("derivatives"),
      memory_size: variable("derivatives_memory_size"),
      timeout_seconds: variable("derivatives_timeout_seconds"),
      max_source_bytes: variable("derivatives_max_source_bytes"),
      batch_size: variable("derivatives_batch_size"),
      max_receive_count: variable("derivatives_max_receive_count"),
      noncurrent_version_expiration_days: variable("derivatives_noncurrent_version_expiration_days"),
      queue_age_alarm_seconds: variable("derivatives_queue_age_alarm_seconds"),
      maximum_concurrency: variable("derivatives_maximum_concurrency"),
      image_bucket_arn: pipeline.store.bucket.arn,
      bucket_kms_key_arn: props.bucketKmsKeyArn,
      table_arn: pipeline.table.table.arn,
      table_name: pipeline.table.table.name,
      kms_key_arn: pipeline.key.key.arn,
      topic_arn: pipeline.notifications.topic.arn,
      force_destroy: variable("force_destroy"),
      log_retention_days: variable("log_retention_days"),
      max_image_pixels: variable("max_image_pixels"),
      lambda_errors_threshold: pipeline.config.alarmThresholds.lambdaErrors,
      role_permissions_boundary_arn: props.rolePermissionsBoundaryArn,
      processor_role_name: pipeline.processor.role.name,
      processor_requests_policy_name: `${pipeline.names.rolePolicy}-derivatives`,
      tags: variable("tags"),
    };
    const child = new TerraformHclModule(this, "DerivativesModule", {
      source: DERIVATIVES_MODULE_SOURCE,
      skipAssetCreationFromLocalModules: true,
      variables: inputs,
    });
    child.overrideLogicalId(DERIVATIVES_MODULE);
    child.addOverride("count", "${local.derivatives_enabled ? 1 : 0}");
    const outputs = {
      derivatives_bucket_name: "bucket_name",
      derivatives_queue_url: "queue_url",
      derivatives_dead_letter_queue_url: "dead_letter_queue_url",
    } as const;
    for (const [name, output] of Object.entries(outputs)) {
      const description = PIPELINE_OUTPUTS.find((o) => o.moduleName === name)!.description;
      new TerraformOutput(this, name, { value: childOutputOrNull(DERIVATIVES_MODULE, output), description: `${description}; null without` }).overrideLogicalId(name);
    }
  }
}

/** The derivatives child module's name in the module (`module.derivatives`). */
const DERIVATIVES_MODULE = "derivatives";
