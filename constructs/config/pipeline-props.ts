import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Rendition } from "../../functions/image-derivatives/environment";
import type { DerivativesSettings } from "./derivatives-settings";
import type { EventDelivery, EventQueueSettings } from "./event-queue-settings";
import type { AlarmThresholds } from "./alarm-thresholds";
import type { EstateSettings } from "./estate-settings";
import type { ProcessorSettings } from "./processor-settings";

/**
 * A bucket the pipeline does not own (see {@link ImageProcessingPipelineProps.existingBucket}), as
 * AWS Solutions Constructs take an `existingBucketObj`: by name, so it may live in another stack.
 * Either field may be a reference (`myBucket.bucket`, `myKey.arn`, a `TerraformVariable`): given,
 * the pipeline makes no bucket, whatever the value turns out to be.
 */
export interface ExistingBucket {
  /** Name of the bucket the pipeline does not own, whose images it processes; its owner turns on its EventBridge delivery. */
  readonly name: string;
  /**
   * ARN of the customer managed KMS key its objects are encrypted with (SSE-KMS): the functions
   * are granted `kms:Decrypt` through S3 on this key only; its key policy must allow that.
   * @remarks Given, it is granted, whatever its value.
   * @default none (SSE-S3)
   */
  readonly kmsKeyArn?: string;
}

/**
 * Configuration of one {@link ImageProcessingPipeline}: its environment and names, data protection,
 * notifications, monitoring and the opt-in derivatives part, with the processor's own settings
 * ({@link ProcessorSettings}: reads, formats, retries, memory). Only `environment` is required;
 * every default is in `DEFAULTS` (constructs/config/defaults.ts) and each prop's `@default` states it.
 * A value outside its rule fails synth with a {@link PipelineConfigError} naming the prop and what
 * it allows.
 *
 * @example
 * ```ts
 * const props: ImageProcessingPipelineProps = {
 *   environment: "staging",
 *   notificationEmail: "ops@example.com",
 *   formats: ["jpeg", "png", "webp"],
 *   logRetentionDays: 90,
 * };
 * new ImageProcessingPipeline(stack, "Images", props);
 * ```
 */
export interface ImageProcessingPipelineProps extends ProcessorSettings, EstateSettings {
  /**
   * Environment name. It becomes part of every resource name
   * (`image-storage-bucket-<environment>-<account id>`, `ImageMetadata-<environment>`, ...),
   * so it must be a valid piece of an S3 bucket name: lowercase letters, digits and
   * hyphens, starting with a letter, not ending with a hyphen, 1 to 29 characters
   * (with `namePrefix`, the two together, hyphen included).
   */
  readonly environment: string;
  /**
   * Put before every resource name, followed by a hyphen (`blue` gives
   * `blue-image-storage-bucket-dev-<account id>`, `blue-ImageMetadata-dev`, ...), so that
   * several pipelines of one environment fit in one account: side by side in one region, or
   * one per region (bucket and role names are global). Lowercase letters, digits and hyphens,
   * starting with a letter, not ending with a hyphen; with its hyphen and `environment` at
   * most 29 characters, which the tightest name (the bucket's 63) leaves; not starting with
   * `xn--`, `sthree-` or `amzn-s3-demo-`, which S3 reserves at the start of bucket names.
   * It also qualifies the `environment` dimension of the processor's metrics and notices.
   * @default "" (the original CloudFormation design's names)
   */
  readonly namePrefix?: string;
  /**
   * Tags merged onto every resource of the pipeline that takes tags (a resource's own tag,
   * such as `Purpose`, wins on a clash). Within AWS's limits: at most 49 (50 a resource, less
   * `Purpose`), keys of 1 to 128 and values of at most 256 letters, digits, spaces, at signs or
   * `_ . : / = + -`, no key starting with `aws:`.
   * @default none
   */
  readonly tags?: Record<string, string>;
  /**
   * Email address subscribed to the notifications topic. The subscription must be
   * confirmed from the email AWS sends.
   * @default no email subscription
   */
  readonly notificationEmail?: string;
  /**
   * Send the email address every per-object notice (one email per rejected or missing upload).
   * Off, the email receives the alarms only (the rejections alarm among them), so whoever may
   * upload cannot flood the mailbox; the topic's other subscribers still receive every notice.
   * Refused without an email subscriber (`notificationEmail`, or an `email` or `email-json` subscription).
   * @default false
   */
  readonly emailEveryNotice?: boolean;
  /**
   * Accept a data-protected pipeline whose topic has no email subscriber (its alarms then reach
   * only subscribers added outside the pipeline). Refused where there is nothing to accept: with a subscriber or an alarm action, or without data protection.
   * @remarks Without it, synth warns naming `notificationEmail`.
   * @default false
   */
  readonly allowUnsubscribedNotifications?: boolean;
  /**
   * Protect the data: images survive a destroy (no `force_destroy`), the table has deletion
   * protection, and the image bucket's access is logged. Cannot be turned off for `prod`.
   * @remarks Turn off only for a disposable environment (the app's `dev`); `forceDestroy`,
   * `deletionProtection` and `accessLogging` still override their part.
   * @default true
   */
  readonly dataProtection?: boolean;
  /**
   * Propagate deletions: the bucket's `ObjectRemoved` events reach the processor, which marks a
   * deleted image's item `deleted` (with `DeletedAt`, and without its position, time taken or
   * camera) and, once the key has no current version, has its renditions deleted. Off, a deleted
   * image's item stays `processed` and its renditions stay current.
   * @default true
   */
  readonly propagateDeletions?: boolean;
  /**
   * How the bucket's events reach the processor: `s3-notification` (the bucket invokes the
   * function; the pipeline owns the bucket's notification configuration) or `eventbridge` (a rule
   * on the default bus takes the images' events, by suffix in any letter case, into an encrypted
   * queue the processor consumes in batches; other consumers add rules of their own).
   * @remarks See {@link EventDelivery}. A module variable (a reference) is decided at plan time.
   * @default "s3-notification"
   */
  readonly eventDelivery?: EventDelivery;
  /**
   * Process the images of a bucket the pipeline does not own: no bucket, bucket policy,
   * lifecycle, access logging or notification configuration is created, and the bucket's
   * notification configuration is never written, so its other consumers are undisturbed. Needs
   * `eventDelivery: "eventbridge"` (its owner turns EventBridge delivery on); the settings only an
   * owner can make (`forceDestroy`, `accessLogging`, `accessLogRetentionDays`,
   * `noncurrentVersionExpirationDays`, `abortIncompleteMultipartUploadDays`, `bucketKmsKeyArn`) are
   * refused beside it.
   * @remarks docs/estates.md, "A bucket the pipeline does not own".
   * @default none: the pipeline makes and owns its bucket
   */
  readonly existingBucket?: ExistingBucket;
  /**
   * Make what `image-pipeline backfill batch` needs for very large backfills:
   * the role S3 Batch Operations assumes (it may invoke the processor and nothing else, read only
   * the manifests and write only the completion reports) and a private bucket for those
   * (`image-batch-jobs-<environment>-<account id>`, kept 30 days; S3 Inventory of the image bucket
   * may deliver there).
   * @remarks docs/operations.md, "Very large backfills: S3 Batch Operations".
   * @default false
   */
  readonly batchOperations?: boolean;
  /**
   * The KMS key S3 Inventory encrypts its reports with (SSE-KMS, the key chosen in the inventory
   * configuration), when it delivers them to the jobs bucket under `inventory/`: the Batch Operations
   * role may then decrypt with it, through S3 only, to read the manifests. Refused without `batchOperations`.
   * @remarks A literal ARN or a reference (`myKey.arn`, a `TerraformVariable`). docs/operations.md,
   * "Very large backfills: S3 Batch Operations".
   * @default none: inventory reports under SSE-S3, which the role reads without a key
   */
  readonly inventoryKmsKeyArn?: string;
  /**
   * EventBridge delivery's queue and its consumer; refused unless `eventDelivery` is `"eventbridge"`.
   * @default see {@link EventQueueSettings}
   */
  readonly eventQueue?: EventQueueSettings;
  /**
   * Days after which noncurrent object versions are deleted (1 to 3650).
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days after which incomplete multipart uploads are aborted (1 to 365).
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Record S3 server access logs of the image bucket in a separate log bucket
   * (`image-storage-logs-<environment>-<account id>`).
   * @default `dataProtection` (true unless turned off)
   */
  readonly accessLogging?: boolean;
  /**
   * Days the image bucket's S3 server access logs are kept (1 to 3650).
   * @remarks Refused when `accessLogging` is off.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * ARN of a customer managed KMS key for the image bucket (SSE-KMS with an S3 bucket key): a
   * literal, or a reference to a key in the same configuration. The processor is granted
   * `kms:Decrypt` on this key only.
   * @default SSE-S3 (AES256)
   */
  readonly bucketKmsKeyArn?: string;
  /**
   * Delete all objects when the bucket is destroyed. Refused for the `prod` environment.
   * @default the opposite of `dataProtection` (false unless data protection is turned off)
   */
  readonly forceDestroy?: boolean;
  /**
   * DynamoDB deletion protection of the metadata table.
   * @default `dataProtection` (true unless turned off)
   */
  readonly deletionProtection?: boolean;
  /**
   * Days the dead-letter queue keeps a failed event (1 to 14).
   * @default 14
   */
  readonly deadLetterRetentionDays?: number;
  /**
   * Renditions to make of every processed image (at most 10), by a separate function fed
   * through an encrypted queue, into a separate private bucket
   * (`image-derivatives-<environment>-<account id>`) at `<name>/<original key>.<ext>`.
   * Each is turned upright by its EXIF orientation and stripped of all metadata (never a GPS
   * position).
   * @remarks `EXAMPLE_RENDITIONS` is a thumbnail and a page-sized WebP.
   * @default none: no derivatives part is created
   */
  readonly derivatives?: readonly Rendition[];
  /**
   * How the derivatives function runs; refused without `derivatives`.
   * @default see {@link DerivativesSettings}
   */
  readonly derivativesSettings?: DerivativesSettings;
  /**
   * Folder holding the bundled derivatives function with its linux-arm64 `node_modules`; refused
   * without `derivatives`.
   * @default the bundle shipped with this package (`build/image-derivatives`)
   */
  readonly derivativesCodeDir?: string;
  /**
   * Alarm thresholds.
   * @default see {@link AlarmThresholds}
   */
  readonly alarmThresholds?: AlarmThresholds;
  /**
   * Accept configurations that weaken security (public access, missing encryption, wildcard
   * principals, an unscoped invoke permission), typically made through escape-hatch overrides.
   * Synth then warns instead of failing. Leave off unless a security reviewer has agreed.
   * @default false
   */
  readonly allowInsecureOverrides?: boolean;
  /**
   * The AWS provider every resource and data source of the pipeline uses (its parts' too, and any
   * module it makes): an aliased provider of the same stack puts the pipeline in another region or
   * account, so two pipelines of one stack can be in two regions (give them distinct `namePrefix`es:
   * bucket and role names are global). Its account, region and partition are read from it at plan time.
   * @default the stack's default AWS provider (the one without an alias)
   */
  readonly provider?: AwsProvider;
  /**
   * Give the pipeline's Terraform elements readable addresses in the stack it is in, whatever that
   * stack is: `aws_lambda_function.images_processor` instead of cdktf's hashed
   * `aws_lambda_function.Images_Processor_Function_D9BCD01D`. Each name is the pipeline's construct
   * path from its stack in snake_case (`Images` gives `images_`), then the element's name as in an
   * environment stack (`processor`), so two pipelines never share an address. Turning it on for a
   * deployed pipeline renames its resources: add `moved` blocks from the old addresses, or
   * Terraform replaces them. An `EnvironmentStack` has readable addresses of its own.
   * @default false (cdktf's hashed addresses, as for any construct)
   */
  readonly readableAddresses?: boolean;
}
