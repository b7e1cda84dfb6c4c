import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { AwsContext } from "./aws-context";
import { ResolvedPipelineConfig } from "./config";
import { resourceNames } from "./names";
import { ANYONE, policyDocument, service } from "./policy-document";

export interface AccessLogBucketProps {
  readonly config: ResolvedPipelineConfig;
  readonly aws: AwsContext;
  /** The bucket whose server access logs this one receives. */
  readonly source: S3Bucket;
}

/** Prefix of the image bucket's access logs in the log bucket. */
export const ACCESS_LOG_PREFIX = "access-logs/";

/**
 * A separate, private bucket for the image bucket's S3 server access logs (who read or
 * wrote which image, from where), and the logging configuration that sends them there.
 * SSE-S3 because S3 log delivery cannot write to SSE-KMS buckets.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, { config, aws, source }: AccessLogBucketProps) {
    super(scope, id);

    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: resourceNames(config.environment).logBucket(aws.accountId),
      forceDestroy: config.forceDestroy,
      tags: { Purpose: "ImageStorageAccessLogs" },
    });
    const bucket = this.bucket.id;

    const publicAccess = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "OwnershipControls", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const versioning = new S3BucketVersioningA(this, "Versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket,
      rule: [
        {
          id: "ExpireAccessLogs",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: config.accessLogRetentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      dependsOn: [versioning],
    });

    const objects = [this.bucket.arn, `${this.bucket.arn}/*`];
    const document = policyDocument(this, "PolicyDocument", [
      {
        // The log delivery service, for this source bucket in this account only.
        sid: "AllowServerAccessLogDelivery",
        effect: "Allow",
        principals: service("logging.s3.amazonaws.com"),
        actions: ["s3:PutObject"],
        resources: [`${this.bucket.arn}/${ACCESS_LOG_PREFIX}*`],
        condition: [
          { test: "ArnLike", variable: "aws:SourceArn", values: [source.arn] },
          { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
        ],
      },
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: ANYONE,
        actions: ["s3:*"],
        resources: objects,
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
    const policy = new S3BucketPolicy(this, "Policy", { bucket, policy: document.json, dependsOn: [publicAccess] });

    new S3BucketLoggingA(this, "Logging", {
      bucket: source.id,
      targetBucket: bucket,
      targetPrefix: ACCESS_LOG_PREFIX,
      // Delivery needs the policy that admits the logging service.
      dependsOn: [policy],
    });
  }
}
