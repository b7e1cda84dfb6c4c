// The settings catalog's rows for the pipeline as a whole: names and tags, who receives its notices, keeping the
// data, the image bucket, how its events arrive and what existing infrastructure brings (its network and key) (settings-catalog.ts says what a row holds).
import { ENV } from "../../functions/image-processor/environment";
import { DEFAULTS } from "./defaults";
import type { Setting } from "./setting";

/** Ends the module note of a setting of an optional part. */
export const onlyWith = (what: string) => ` Used only with ${what}.`;

export const PIPELINE_SETTINGS = [
  // Names and tags
  {
    prop: "environment",
    variable: "environment",
    type: "string",
    rule: { pattern: "environment" },
    derivativesInput: "environment",
  },
  {
    prop: "namePrefix",
    variable: "name_prefix",
    type: "string",
    default: DEFAULTS.namePrefix,
    rule: "module",
    moduleNote: "Empty for the original CloudFormation design's names.",
  },
  {
    prop: "tags",
    variable: "tags",
    type: "map(string)",
    default: {},
    rule: "module",
    derivativesInput: "tags",
    moduleNote: "The caller's provider default_tags apply too.",
  },
  { prop: "provider" },
  { prop: "readableAddresses" },
  // Who receives the pipeline's notices
  {
    prop: "notificationEmail",
    variable: "notification_email",
    type: "string",
    default: null,
    rule: { pattern: "notificationEmail", nullable: true },
    moduleNote:
      "It receives the alarms. null for no subscription, which a deployment that keeps its data (data_protection = true) must allow explicitly with allow_unsubscribed_notifications.",
  },
  {
    prop: "allowUnsubscribedNotifications",
    variable: "allow_unsubscribed_notifications",
    type: "bool",
    default: DEFAULTS.allowUnsubscribedNotifications,
    moduleNote: "That is, data_protection = true with no notification_email.",
  },
  {
    prop: "emailEveryNotice",
    variable: "email_every_notice",
    type: "bool",
    default: DEFAULTS.emailEveryNotice,
  },
  {
    prop: "alarmActions",
    variable: "alarm_actions",
    type: "list(string)",
    default: [],
    rule: "module",
    moduleNote: "Empty: the module's topic.",
  },
  {
    prop: "subscriptions",
    variable: "subscriptions",
    type: "subscriptions",
    default: {},
    rule: "module",
    moduleNote:
      "Keyed by names you write, one subscription each: { oncall = { protocol = \"sqs\", endpoint = aws_sqs_queue.notices.arn } } (an endpoint may be a reference; the key is what Terraform counts by). A queue's policy or a function's permission must admit the topic.",
  },
  {
    prop: "notifyOnSuccess",
    variable: "notify_on_success",
    type: "bool",
    default: DEFAULTS.notifyOnSuccess,
    env: { processor: ENV.notifyOnSuccess },
  },
  // Keeping the data
  {
    prop: "dataProtection",
    variable: "data_protection",
    type: "bool",
    default: DEFAULTS.dataProtection,
    rule: "module",
    moduleNote:
      "false, for a disposable environment or to decommission one (set it, apply, then destroy): every bucket is emptied on destroy and the table's protection lifted, unless force_destroy or deletion_protection say otherwise.",
  },
  {
    prop: "forceDestroy",
    variable: "force_destroy",
    type: "bool",
    default: null,
    rule: "module",
    passedByModule: true,
    derivativesInput: "force_destroy",
    moduleNote: "Every bucket of the module; true only with data_protection = false. null: the opposite of data_protection.",
  },
  {
    prop: "deletionProtection",
    variable: "deletion_protection",
    type: "bool",
    default: null,
    rule: "module",
    passedByModule: true,
    moduleNote: "false only with data_protection = false. null: data_protection.",
  },
  {
    prop: "propagateDeletions",
    variable: "propagate_deletions",
    type: "bool",
    default: DEFAULTS.propagateDeletions,
  },
  // The image bucket
  {
    variable: "create_bucket",
    type: "bool",
    default: true,
    rule: "module",
    description:
      "Make and own the image bucket. false: process the images of existing_bucket_name instead (a bucket the module does not own). A switch beside the name, so the plan knows what to make even when the name is a reference (aws_s3_bucket.uploads.bucket).",
  },
  {
    prop: "existingBucket.name",
    variable: "existing_bucket_name",
    type: "string",
    default: null,
    rule: { pattern: "bucketName", nullable: true },
    passedByModule: true,
    moduleNote:
      'With create_bucket = false: no bucket, bucket policy, lifecycle, access logging or notification configuration is created, and a destroy leaves the bucket. A literal or a reference. Needs event_delivery = "eventbridge". null: the module makes and owns its bucket.',
  },
  {
    prop: "existingBucket.kmsKeyArn",
    variable: "existing_bucket_kms_key_arn",
    type: "string",
    default: null,
    rule: "module",
    passedByModule: true,
    moduleNote: `With use_bucket_kms_key = true; a literal or a reference. null: SSE-S3.${onlyWith("existing_bucket_name")}`,
  },
  {
    variable: "use_bucket_kms_key",
    type: "bool",
    default: false,
    rule: "module",
    derivativesInput: "use_bucket_kms_key",
    description:
      "The image bucket's objects are encrypted with a customer managed KMS key given as bucket_kms_key_arn (the module's bucket, SSE-KMS with a bucket key) or existing_bucket_kms_key_arn (an existing bucket's): the functions are granted kms:Decrypt on it through S3. A switch beside the ARN, so the plan knows the grant even when the ARN is a reference (aws_kms_key.images.arn).",
  },
  {
    prop: "bucketKmsKeyArn",
    variable: "bucket_kms_key_arn",
    type: "string",
    default: null,
    rule: { pattern: "kmsKeyArn", nullable: true },
    moduleNote: "With use_bucket_kms_key = true. null for SSE-S3.",
  },
  {
    prop: "noncurrentVersionExpirationDays",
    variable: "noncurrent_version_expiration_days",
    type: "number",
    default: DEFAULTS.noncurrentVersionExpirationDays,
    rule: { range: "noncurrentVersionExpirationDays" },
  },
  {
    prop: "abortIncompleteMultipartUploadDays",
    variable: "abort_incomplete_multipart_upload_days",
    type: "number",
    default: DEFAULTS.abortIncompleteMultipartUploadDays,
    rule: { range: "abortIncompleteMultipartUploadDays" },
  },
  // A reusable module is for shared environments: its access logging is always on (module-stack.ts).
  { prop: "accessLogging" },
  {
    prop: "accessLogRetentionDays",
    variable: "access_log_retention_days",
    type: "number",
    default: DEFAULTS.accessLogRetentionDays,
    rule: { range: "accessLogRetentionDays" },
    moduleNote: "The module always records them.",
  },
  {
    prop: "batchOperations",
    variable: "batch_operations",
    type: "bool",
    default: DEFAULTS.batchOperations,
  },
  {
    prop: "inventoryKmsKeyArn",
    variable: "inventory_kms_key_arn",
    type: "string",
    default: null,
    rule: "module",
    moduleNote: "A literal ARN or a reference. null: SSE-S3 reports, which the role reads without a key.",
  },
  // How events arrive
  {
    prop: "eventDelivery",
    variable: "event_delivery",
    type: "string",
    default: DEFAULTS.eventDelivery,
    rule: "module",
  },
  {
    prop: "eventQueue.maximumConcurrency",
    variable: "event_queue_maximum_concurrency",
    type: "number",
    default: DEFAULTS.eventQueue.maximumConcurrency,
    rule: { range: "eventQueue.maximumConcurrency" },
    moduleNote: onlyWith('event_delivery = "eventbridge"'),
  },
  {
    prop: "eventQueue.batchSize",
    variable: "event_queue_batch_size",
    type: "number",
    default: DEFAULTS.eventQueue.batchSize,
    rule: { range: "eventQueue.batchSize" },
    moduleNote: onlyWith('event_delivery = "eventbridge"'),
  },
  {
    prop: "eventQueue.maxReceiveCount",
    variable: "event_queue_max_receive_count",
    type: "number",
    default: DEFAULTS.eventQueue.maxReceiveCount,
    rule: { range: "eventQueue.maxReceiveCount" },
    moduleNote: onlyWith('event_delivery = "eventbridge"'),
  },
  {
    prop: "eventQueue.queueAgeAlarmSeconds",
    variable: "event_queue_age_alarm_seconds",
    type: "number",
    default: DEFAULTS.eventQueue.queueAgeAlarmSeconds,
    rule: { range: "eventQueue.queueAgeAlarmSeconds" },
    moduleNote: onlyWith('event_delivery = "eventbridge"'),
  },
  // What existing infrastructure brings
  {
    prop: "vpc.subnetIds",
    variable: "vpc_subnet_ids",
    type: "list(string)",
    default: [],
    rule: "module",
    derivativesInput: "vpc_subnet_ids",
    moduleNote: "With vpc_security_group_ids. Empty: not in a VPC.",
  },
  {
    prop: "vpc.securityGroupIds",
    variable: "vpc_security_group_ids",
    type: "list(string)",
    default: [],
    rule: "module",
    derivativesInput: "vpc_security_group_ids",
    moduleNote: "With vpc_subnet_ids.",
  },
  {
    variable: "create_kms_key",
    type: "bool",
    default: true,
    rule: "module",
    description:
      "Make a customer managed KMS key for this instance. false: everything is encrypted with existing_kms_key_arn instead. A switch beside the ARN, so the plan knows what to make even when the ARN is a reference (aws_kms_key.team.arn).",
  },
  {
    prop: "existingKmsKeyArn",
    variable: "existing_kms_key_arn",
    type: "string",
    default: null,
    rule: { pattern: "kmsKeyArn", nullable: true },
    moduleNote:
      "With create_kms_key = false; a literal or a reference. Its key policy must admit what the output kms_key_policy_statements lists. null: the module makes its key.",
  },
] as const satisfies readonly Setting[];
