// The settings catalog's rows for the pipeline as a whole: names and tags, who hears it, keeping the
// data, the image bucket, how its events arrive and what the estate brings (its network and key) (settings-catalog.ts says what a row holds).
import { ENV } from "../../functions/image-processor/environment";
import { DEFAULTS } from "./defaults";
import { RULES } from "./rules";
import type { Setting } from "./setting";

/** Appended to the description of a setting of an optional part. */
export const onlyWith = (what: string) => ` Used only with ${what}.`;

export const PIPELINE_SETTINGS = [
  // Names and tags
  {
    prop: "environment",
    variable: "environment",
    type: "string",
    rule: { pattern: "environment" },
    derivativesInput: "environment",
    description:
      "Environment name; part of every resource name (image-storage-bucket-<environment>-<account id>, ImageMetadata-<environment>, ...).",
  },
  {
    prop: "namePrefix",
    variable: "name_prefix",
    type: "string",
    default: DEFAULTS.namePrefix,
    rule: "module",
    description:
      "Put before every resource name, followed by a hyphen (blue gives blue-image-storage-bucket-<environment>-<account id>, blue-ImageMetadata-<environment>, ...), so several instances fit in one account and region, or one per region. Empty for the source design's names.",
  },
  {
    prop: "tags",
    variable: "tags",
    type: "map(string)",
    default: {},
    rule: "module",
    derivativesInput: "tags",
    description:
      "Tags merged onto every resource that takes tags (a resource's own Purpose tag wins on a clash); the caller's provider default_tags apply too.",
  },
  { prop: "provider" },
  { prop: "readableAddresses" },
  // Who hears the pipeline
  {
    prop: "notificationEmail",
    variable: "notification_email",
    type: "string",
    default: null,
    rule: { pattern: "notificationEmail", nullable: true },
    description:
      "Email address subscribed to the notifications topic (it receives the alarms); null for no subscription, which a deployment that keeps its data (data_protection = true) must allow explicitly with allow_unsubscribed_notifications.",
  },
  {
    prop: "allowUnsubscribedNotifications",
    variable: "allow_unsubscribed_notifications",
    type: "bool",
    default: DEFAULTS.allowUnsubscribedNotifications,
    description:
      "Accept a deployment that keeps its data (data_protection = true) with no notification_email: its alarms then reach only the subscribers you add to the topic.",
  },
  {
    prop: "emailEveryNotice",
    variable: "email_every_notice",
    type: "bool",
    default: DEFAULTS.emailEveryNotice,
    description:
      "Send notification_email every per-object notice too (one email per rejected or missing upload). false: the email receives the alarms only (the rejections alarm among them), so whoever may upload cannot flood the mailbox; other subscribers of the topic still receive every notice.",
  },
  {
    prop: "alarmActions",
    variable: "alarm_actions",
    type: "list(string)",
    default: [],
    rule: "module",
    description: `What every alarm runs on ALARM instead of notifying the module's topic (an on-call team's SNS topic, an Incident Manager response plan...): at most ${RULES.alarmAction.max} ARNs; on OK, only the SNS topics and Lambda functions among them. A topic that is not the module's must admit cloudwatch.amazonaws.com in its policy. Empty: the module's topic.`,
  },
  {
    prop: "subscriptions",
    variable: "subscriptions",
    type: "subscriptions",
    default: {},
    rule: "module",
    description:
      "More subscribers of the notifications topic, beside notification_email, keyed by names you write, one subscription each: { oncall = { protocol = \"sqs\", endpoint = aws_sqs_queue.notices.arn } } (an endpoint may be a reference; the key is what Terraform counts by). Email endpoints get the alarms only unless email_every_notice; https, sqs and lambda endpoints get every notice (a queue's policy or a function's permission must admit the topic).",
  },
  {
    prop: "notifyOnSuccess",
    variable: "notify_on_success",
    type: "bool",
    default: DEFAULTS.notifyOnSuccess,
    env: { processor: ENV.notifyOnSuccess },
    description: "Also notify every successfully processed image (rejected and missing images are always notified).",
  },
  // Keeping the data
  {
    prop: "dataProtection",
    variable: "data_protection",
    type: "bool",
    default: DEFAULTS.dataProtection,
    rule: "module",
    description: `Protect the data, whatever the environment is named: a destroy keeps every bucket's objects (no force_destroy) and the table is deletion-protected. false, for a disposable environment or to decommission one (set it, apply, then destroy): every bucket is emptied on destroy and the table's protection lifted, unless force_destroy or deletion_protection say otherwise. Refused for ${DEFAULTS.protectedEnvironments.join(", ")}.`,
  },
  {
    prop: "forceDestroy",
    variable: "force_destroy",
    type: "bool",
    default: null,
    rule: "module",
    passedByModule: true,
    derivativesInput: "force_destroy",
    description:
      "Delete every object of the module's buckets when they are destroyed; true only with data_protection = false. null: the opposite of data_protection.",
  },
  {
    prop: "deletionProtection",
    variable: "deletion_protection",
    type: "bool",
    default: null,
    rule: "module",
    passedByModule: true,
    description: "DynamoDB deletion protection of the metadata table; false only with data_protection = false. null: data_protection.",
  },
  {
    prop: "propagateDeletions",
    variable: "propagate_deletions",
    type: "bool",
    default: DEFAULTS.propagateDeletions,
    description:
      "Deleting an image marks its item deleted (with DeletedAt, without its position, time taken or camera) and, once the key has no current version, deletes its renditions. false: the bucket's deletions are not subscribed to.",
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
    description:
      'Name of a bucket the module does not own, whose images it processes, with create_bucket = false: no bucket, bucket policy, lifecycle, access logging or notification configuration is created, and a destroy leaves the bucket. A literal or a reference. Needs event_delivery = "eventbridge" (the bucket\'s owner turns its EventBridge delivery on). null: the module makes and owns its bucket.',
  },
  {
    prop: "existingBucket.kmsKeyArn",
    variable: "existing_bucket_kms_key_arn",
    type: "string",
    default: null,
    rule: "module",
    passedByModule: true,
    description:
      "ARN of the KMS key the existing bucket's objects are encrypted with (SSE-KMS), with use_bucket_kms_key = true; the functions may decrypt with it through S3. A literal or a reference. null: SSE-S3. Used only with existing_bucket_name.",
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
    description:
      "ARN of a customer managed KMS key for the image bucket (SSE-KMS with an S3 bucket key; the functions may decrypt with it through S3), with use_bucket_kms_key = true; a literal or a reference. null for SSE-S3.",
  },
  {
    prop: "noncurrentVersionExpirationDays",
    variable: "noncurrent_version_expiration_days",
    type: "number",
    default: DEFAULTS.noncurrentVersionExpirationDays,
    rule: { range: "noncurrentVersionExpirationDays" },
    description: "Days after which noncurrent object versions are deleted.",
  },
  {
    prop: "abortIncompleteMultipartUploadDays",
    variable: "abort_incomplete_multipart_upload_days",
    type: "number",
    default: DEFAULTS.abortIncompleteMultipartUploadDays,
    rule: { range: "abortIncompleteMultipartUploadDays" },
    description: "Days after which incomplete multipart uploads are aborted.",
  },
  // A reusable module is for shared environments: its access logging is always on (module-stack.ts).
  { prop: "accessLogging" },
  {
    prop: "accessLogRetentionDays",
    variable: "access_log_retention_days",
    type: "number",
    default: DEFAULTS.accessLogRetentionDays,
    rule: { range: "accessLogRetentionDays" },
    description: "Days the image bucket's S3 server access logs are kept (the module always records them).",
  },
  {
    prop: "batchOperations",
    variable: "batch_operations",
    type: "bool",
    default: DEFAULTS.batchOperations,
    description:
      "Make the role S3 Batch Operations assumes for `image-pipeline backfill batch` (it may invoke the processor and nothing else, read only the manifests, write only the completion reports) and the private bucket of manifests and reports (kept 30 days).",
  },
  {
    prop: "inventoryKmsKeyArn",
    variable: "inventory_kms_key_arn",
    type: "string",
    default: null,
    rule: "module",
    description:
      "ARN of the KMS key S3 Inventory encrypts its reports with (SSE-KMS, chosen in the inventory configuration) when it delivers them to the jobs bucket under inventory/: the Batch Operations role may decrypt with it through S3 to read the manifests. A literal or a reference; only with batch_operations = true. null: SSE-S3 reports.",
  },
  // How events arrive
  {
    prop: "eventDelivery",
    variable: "event_delivery",
    type: "string",
    default: DEFAULTS.eventDelivery,
    rule: "module",
    description:
      'How the bucket\'s events reach the processor: "s3-notification" (the bucket invokes it; the module owns the bucket\'s notification configuration) or "eventbridge" (the bucket sends its events to EventBridge; a rule takes the images\' events, by suffix in any letter case, into an encrypted queue the processor consumes in batches, and other consumers can add rules of their own).',
  },
  {
    prop: "eventQueue.maximumConcurrency",
    variable: "event_queue_maximum_concurrency",
    type: "number",
    default: DEFAULTS.eventQueue.maximumConcurrency,
    rule: { range: "eventQueue.maximumConcurrency" },
    description: `Concurrent invocations of the processor the event queue may drive (a burst waits in the queue instead of throttling the table or taking the account's concurrency).${onlyWith('event_delivery = "eventbridge"')}`,
  },
  {
    prop: "eventQueue.batchSize",
    variable: "event_queue_batch_size",
    type: "number",
    default: DEFAULTS.eventQueue.batchSize,
    rule: { range: "eventQueue.batchSize" },
    description: `Upload events per invocation of the processor; a failed one returns to the queue alone.${onlyWith('event_delivery = "eventbridge"')}`,
  },
  {
    prop: "eventQueue.maxReceiveCount",
    variable: "event_queue_max_receive_count",
    type: "number",
    default: DEFAULTS.eventQueue.maxReceiveCount,
    rule: { range: "eventQueue.maxReceiveCount" },
    description: `Deliveries of an upload event before it goes to the event dead-letter queue.${onlyWith('event_delivery = "eventbridge"')}`,
  },
  {
    prop: "eventQueue.queueAgeAlarmSeconds",
    variable: "event_queue_age_alarm_seconds",
    type: "number",
    default: DEFAULTS.eventQueue.queueAgeAlarmSeconds,
    rule: { range: "eventQueue.queueAgeAlarmSeconds" },
    description: `Age in seconds of the oldest waiting upload event above which its alarm fires.${onlyWith('event_delivery = "eventbridge"')}`,
  },
  // What the estate brings
  {
    prop: "vpc.subnetIds",
    variable: "vpc_subnet_ids",
    type: "list(string)",
    default: [],
    rule: "module",
    derivativesInput: "vpc_subnet_ids",
    description:
      "Subnets both functions run in (private ones, in two Availability Zones or more); with vpc_security_group_ids. The functions then reach AWS through VPC endpoints or a NAT gateway (S3 and DynamoDB gateway endpoints; SNS, SQS and, with tracing, X-Ray interface endpoints; none for KMS, which the services call on their behalf). Empty: not in a VPC.",
  },
  {
    prop: "vpc.securityGroupIds",
    variable: "vpc_security_group_ids",
    type: "list(string)",
    default: [],
    rule: "module",
    derivativesInput: "vpc_security_group_ids",
    description: "Security groups of both functions' network interfaces (they need HTTPS out to the endpoints); with vpc_subnet_ids.",
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
    description:
      "A customer managed KMS key of yours for everything the module encrypts (table, topic, queues, log groups) instead of a key per instance, with create_kms_key = false; a literal or a reference. Its policy must admit what the output kms_key_policy_statements lists. null: the module makes its key.",
  },
] as const satisfies readonly Setting[];
