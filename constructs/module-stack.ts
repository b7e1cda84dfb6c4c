import { PIPELINE_ID } from "./terraform-address";
import { Construct } from "constructs";
import { Fn, TerraformLocal, TerraformStack, TerraformVariable, Token } from "cdktf";
import { DEFAULTS } from "./defaults";
import { ImageProcessingPipeline } from "./image-processing-pipeline";
import { addPipelineOutputs } from "./pipeline-outputs";
import { ImageProcessingPipelineProps } from "./pipeline-props";
import { AWS_PROVIDER_REQUIREMENT } from "./provider-requirements";
import { RULES } from "./rules";

/** One input of the Terraform module. */
export interface ModuleVariableSpec {
  readonly name: string;
  readonly type: "string" | "number" | "bool" | "list(string)" | "map(string)";
  readonly description: string;
  /** Absent: the variable is required. */
  readonly default?: string | number | boolean | readonly string[] | Readonly<Record<string, string>>;
  /** Terraform condition over `var.<name>` and the message when it is false. */
  readonly validation?: { readonly condition: string; readonly message: string };
}

const v = (name: string) => `var.${name}`;
const hclString = (text: string) => JSON.stringify(text); // HCL and JSON escape strings the same way

// Each rule mirrors a check of resolveConfig (constructs/resolve-config.ts), from the same RULES.
const pattern = (name: string, rule: { pattern: RegExp; allowed: string }, optional = false) => ({
  condition: `${optional ? `${v(name)} == "" || ` : ""}can(regex(${hclString(rule.pattern.source)}, ${v(name)}))`,
  message: `Invalid ${name}: must be ${optional ? "empty or " : ""}${rule.allowed}.`,
});
const range = (name: string, field: string, lowest?: number) => {
  const [min, max] = RULES.ranges[field];
  const from = lowest ?? min;
  return {
    condition: `${v(name)} >= ${from} && ${v(name)} <= ${max} && floor(${v(name)}) == ${v(name)}`,
    message: `Invalid ${name}: must be an integer from ${from} to ${max}${lowest === undefined ? "" : ` (${lowest} for none)`}.`,
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
      condition: `${pattern("name_prefix", RULES.namePrefix, true).condition} && length(${v("name_prefix")}) + (${v("name_prefix")} == "" ? 0 : 1) + length(${v("environment")}) <= ${RULES.namePrefix.maxWithEnvironment}`,
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
    description: "Email address subscribed to the notifications topic; empty for no subscription.",
    default: "",
    validation: pattern("notification_email", RULES.notificationEmail, true),
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
    description: "Reserved concurrent executions of the processor; -1 for none (the account's unreserved pool).",
    default: -1,
    validation: range("reserved_concurrency", "reservedConcurrency", -1),
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
    description: "ARN of a customer managed KMS key for the image bucket (SSE-KMS with an S3 bucket key; the processor may decrypt with it through S3); empty for SSE-S3.",
    default: "",
    validation: pattern("bucket_kms_key_arn", RULES.kmsKeyArn, true),
  },
  {
    name: "role_permissions_boundary_arn",
    type: "string",
    description: "ARN of an IAM policy to set as the processor role's permissions boundary; empty for none.",
    default: "",
    validation: pattern("role_permissions_boundary_arn", RULES.policyArn, true),
  },
];

/** Provider requirements of the module; the caller configures the providers. */
export const MODULE_REQUIRED_PROVIDERS = { aws: AWS_PROVIDER_REQUIREMENT };

/**
 * The pipeline as a self-contained Terraform child module: variables in, snake_case outputs
 * out (PIPELINE_OUTPUTS maps them to the stacks' names), no backend and no provider configuration (the caller's providers
 * are inherited, so the module works with count, for_each and depends_on).
 */
export class ImageProcessingModuleStack extends TerraformStack {
  readonly pipeline: ImageProcessingPipeline;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vars = Object.fromEntries(
      MODULE_VARIABLES.map((spec) => [
        spec.name,
        new TerraformVariable(this, spec.name, {
          type: spec.type,
          description: spec.description,
          default: spec.default,
          nullable: false,
          validation: spec.validation && [{ condition: `\${${spec.validation.condition}}`, errorMessage: spec.validation.message }],
        }),
      ]),
    );
    const number = (name: string) => vars[name].numberValue;
    const bool = (name: string) => Token.asAny(vars[name].booleanValue) as unknown as boolean;
    // Empty means none: null leaves the argument unset.
    const orNull = (name: string) => {
      const value = vars[name].stringValue;
      return new TerraformLocal(this, `${name}_or_null`, Fn.conditional(Fn.startswith(value, "arn:"), value, Token.nullValue())).asString;
    };

    const props: ImageProcessingPipelineProps = {
      environment: vars.environment.stringValue,
      namePrefix: vars.name_prefix.stringValue,
      tags: Token.asAny(vars.tags.value) as unknown as Record<string, string>,
      notificationEmail: vars.notification_email.stringValue,
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
    };
    this.pipeline = new ImageProcessingPipeline(this, PIPELINE_ID, props);
    addPipelineOutputs(this, this.pipeline, "module");

    this.addOverride("terraform.required_providers", MODULE_REQUIRED_PROVIDERS);
  }
}
