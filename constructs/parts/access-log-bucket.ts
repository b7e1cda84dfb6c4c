import { Construct } from "constructs";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { AwsContext } from "../support/aws-context";
import { Counted } from "../support/counted";
import { DEFAULTS } from "../config/defaults";
import { service } from "../support/policy-document";
import { CONDITION_CITATIONS, cited } from "../support/condition-citations";
import { privateBucket } from "./private-bucket";
import { rangeProblems, throwIfInvalid } from "../config/rules";

export interface AccessLogBucketProps {
  /** Name of the log bucket. */
  readonly bucketName: string;
  /** The bucket whose server access logs this one receives. */
  readonly source: S3Bucket;
  /**
   * Days the access logs are kept (1 to 3650).
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Delete all logs when the bucket is destroyed.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Account, region and partition to build ARNs from.
   * @default a new {@link AwsContext} in this construct
   */
  readonly aws?: AwsContext;
  /**
   * Other buckets of the pipeline whose access logs this bucket receives, each under its own prefix
   * (the derivatives bucket's under `derivatives-access-logs/`).
   * @default none
   */
  readonly otherSources?: readonly AccessLogSource[];
  /**
   * Whether the buckets exist, when Terraform decides (the owner counts the resources).
   * @default they are made
   */
  readonly counted?: Counted;
}

/** Prefix of the image bucket's access logs in the log bucket. */
export const ACCESS_LOG_PREFIX = "access-logs/";

/** Prefix of the derivatives bucket's access logs in the same log bucket. */
export const DERIVATIVES_ACCESS_LOG_PREFIX = "derivatives-access-logs/";

/** A log bucket that receives another bucket's access logs; see {@link AccessLogBucket.delivery}. */
export interface AccessLogDelivery {
  /** The log bucket, read from its policy: S3 refuses a logging target whose policy does not yet admit the source. */
  readonly targetBucket: string;
}

/** Another bucket whose access logs the log bucket receives, under its own prefix; `sid` names its policy statement. */
export interface AccessLogSource {
  /** The Sid of the log bucket's policy statement that lets S3 deliver this bucket's logs. */
  readonly sid: string;
  /** The bucket whose access is logged. */
  readonly bucketName: string;
  /** Where in the log bucket its logs go (`derivatives-access-logs/`). */
  readonly prefix: string;
}

/**
 * A separate, private bucket for the image bucket's S3 server access logs (who read or
 * wrote which image, from where), and the logging configuration that sends them there.
 * SSE-S3 because S3 log delivery cannot write to SSE-KMS buckets.
 *
 * @example
 * ```ts
 * const store = new ImageStore(stack, "Store", { bucketName: "acme-images-prod" });
 * new AccessLogBucket(stack, "AccessLogs", { bucketName: "acme-images-prod-logs", source: store.bucket });
 * ```
 */
export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The log bucket's name and ARN (null in the module when it is counted out). */
  readonly name: string;
  readonly arn: string;
  /**
   * Where another of the pipeline's buckets sends its access logs: the log bucket as its policy
   * names it (so a logging configuration that uses it waits for the policy that admits it).
   */
  readonly delivery: AccessLogDelivery;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const { source } = props;
    const counted = props.counted ?? new Counted();
    const aws = props.aws ?? new AwsContext(this, "Aws");
    const retentionDays = props.accessLogRetentionDays ?? DEFAULTS.accessLogRetentionDays;
    throwIfInvalid(rangeProblems({ accessLogRetentionDays: retentionDays }));

    const { bucket, versioning, policy } = privateBucket(this, {
      name: props.bucketName,
      forceDestroy: props.forceDestroy ?? DEFAULTS.forceDestroy,
      tags: { Purpose: "ImageStorageAccessLogs" },
      encryption: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      aws,
      counted,
      policyStatements: (arn) => [
        {
          // The log delivery service, for this source bucket in this account only.
          sid: "AllowServerAccessLogDelivery",
          effect: "Allow",
          principals: service("logging.s3.amazonaws.com"),
          actions: ["s3:PutObject"],
          resources: [`${arn}/${ACCESS_LOG_PREFIX}*`],
          condition: cited(CONDITION_CITATIONS.serverAccessLogDelivery, [
            { test: "ArnLike", variable: "aws:SourceArn", values: [aws.bucketArn(counted.attribute(source, "bucket"))] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
          ]),
        },
        // Each other source under its own prefix only, so no bucket's logs pass for another's.
        ...(props.otherSources ?? []).map((other) => ({
          sid: other.sid,
          effect: "Allow" as const,
          principals: service("logging.s3.amazonaws.com"),
          actions: ["s3:PutObject"],
          resources: [`${arn}/${other.prefix}*`],
          condition: cited(CONDITION_CITATIONS.serverAccessLogDelivery, [
            { test: "ArnLike", variable: "aws:SourceArn", values: [aws.bucketArn(other.bucketName)] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
          ]),
        })),
      ],
    });
    this.bucket = bucket;
    this.name = counted.attribute(bucket, "bucket");
    this.arn = counted.attribute(bucket, "arn");
    this.delivery = { targetBucket: counted.attribute(policy, "bucket") };

    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: counted.attribute(bucket, "id"),
      rule: [
        {
          id: "ExpireAccessLogs",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      dependsOn: [versioning],
    });

    new S3BucketLoggingA(this, "Logging", {
      bucket: counted.attribute(source, "id"),
      targetBucket: counted.attribute(bucket, "id"),
      targetPrefix: ACCESS_LOG_PREFIX,
      // Delivery needs the policy that admits the logging service.
      dependsOn: [policy],
    });
  }
}
