import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { S3BucketServerSideEncryptionConfigurationRuleA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { AccessLogBucket, type AccessLogSource } from "./access-log-bucket";
import { AwsContext } from "../support/aws-context";
import { Counted } from "../support/counted";
import { planTimeSwitches } from "../support/plan-time";
import { DEFAULTS } from "../config/defaults";
import { privateBucket } from "./private-bucket";
import { RULES, patternProblems, rangeProblems, throwIfInvalid } from "../config/rules";

export interface ImageStoreProps {
  /** Name of the image bucket. */
  readonly bucketName: string;
  /**
   * Delete all objects when the bucket is destroyed.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * ARN of a customer managed KMS key for the bucket (SSE-KMS with an S3 bucket key): a literal or a
   * reference (to a key in the same configuration, a variable).
   * @default SSE-S3 (AES256)
   */
  readonly bucketKmsKeyArn?: string;
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
   * Record S3 server access logs in a separate bucket of this name, kept for `accessLogRetentionDays`.
   * @default no access logging
   */
  readonly accessLogBucketName?: string;
  /**
   * Days the access logs are kept (1 to 3650).
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Account, region and partition to build ARNs from.
   * @default a new {@link AwsContext} in this construct
   */
  readonly aws?: AwsContext;
  /**
   * Other buckets whose access logs the log bucket receives, each under its own prefix.
   * @default none
   */
  readonly accessLogOtherSources?: readonly AccessLogSource[];
  /**
   * Whether the bucket (and its log bucket) exist, when Terraform decides: the Terraform module
   * counts them out for an `existing_bucket_name`.
   * @default they are made
   */
  readonly counted?: Counted;
}

/**
 * Default encryption of the image bucket: SSE-KMS with a bucket key when a key is given (a literal or
 * a reference), else SSE-S3; in the module, as its switch `given` says (a Terraform boolean).
 */
export function encryptionRule(kmsKeyArn: string | undefined, given?: boolean): S3BucketServerSideEncryptionConfigurationRuleA {
  if (given !== undefined && Token.isUnresolved(given)) {
    return {
      applyServerSideEncryptionByDefault: {
        sseAlgorithm: Token.asString(Fn.conditional(given, "aws:kms", "AES256")),
        kmsMasterKeyId: kmsKeyArn,
      },
      bucketKeyEnabled: given,
    };
  }
  if (kmsKeyArn === undefined) return { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
  // One data key per bucket instead of one KMS call per object.
  return { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true };
}

/**
 * The private, encrypted, versioned bucket that images are uploaded to, with its
 * public access block, ownership controls, lifecycle, TLS-only bucket policy and,
 * optionally, server access logging to a separate bucket.
 *
 * @example
 * ```ts
 * const store = new ImageStore(stack, "Store", { bucketName: "acme-images-dev" }); // SSE-S3, versioned, TLS only
 * // store.bucket.arn, store.bucket.bucket
 * ```
 */
export class ImageStore extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket policy; other resources that change the bucket wait for it. */
  readonly policy: S3BucketPolicy;
  /** Where the bucket's server access logs go, when access logging is on. */
  readonly accessLogs?: AccessLogBucket;

  constructor(scope: Construct, id: string, props: ImageStoreProps) {
    super(scope, id);
    const forceDestroy = props.forceDestroy ?? DEFAULTS.forceDestroy;
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays;
    const abortDays = props.abortIncompleteMultipartUploadDays ?? DEFAULTS.abortIncompleteMultipartUploadDays;
    throwIfInvalid([
      ...rangeProblems({ noncurrentVersionExpirationDays: noncurrentDays, abortIncompleteMultipartUploadDays: abortDays }),
      ...patternProblems("bucketKmsKeyArn", props.bucketKmsKeyArn, RULES.kmsKeyArn),
    ]);

    const aws = props.aws ?? new AwsContext(this, "Aws");
    const counted = props.counted ?? new Counted();
    const { bucket, versioning, policy } = privateBucket(this, {
      name: props.bucketName,
      forceDestroy,
      tags: { Purpose: "ImageStorage" },
      encryption: encryptionRule(props.bucketKmsKeyArn, planTimeSwitches(this).bucketKmsKey),
      aws,
      counted,
    });
    this.bucket = bucket;
    this.policy = policy;

    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: counted.attribute(bucket, "id"),
      rule: [
        {
          id: "DeleteOldVersions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          // Delete markers left behind once every noncurrent version has expired.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: "AbortIncompleteMultipartUploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
      // A lifecycle rule on noncurrent versions needs versioning in place first.
      dependsOn: [versioning],
    });

    if (props.accessLogBucketName !== undefined) {
      this.accessLogs = new AccessLogBucket(this, "AccessLogs", {
        bucketName: props.accessLogBucketName,
        source: bucket,
        forceDestroy,
        accessLogRetentionDays: props.accessLogRetentionDays,
        aws,
        counted,
        otherSources: props.accessLogOtherSources,
      });
    }
    counted.countAll(this);
  }
}
