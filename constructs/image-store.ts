import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { AccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { ResolvedPipelineConfig } from "./config";
import { resourceNames } from "./names";
import { ANYONE } from "./policy-document";
import { privateBucket } from "./private-bucket";

export interface ImageStoreProps {
  readonly config: ResolvedPipelineConfig;
  readonly aws: AwsContext;
}

/**
 * The private, encrypted, versioned bucket that images are uploaded to, with its
 * public access block, ownership controls, lifecycle, TLS-only bucket policy and,
 * optionally, server access logging to a separate bucket.
 */
export class ImageStore extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket policy; other resources that change the bucket wait for it. */
  readonly policy: S3BucketPolicy;
  /** Where the bucket's server access logs go, when access logging is on. */
  readonly accessLogs?: AccessLogBucket;

  constructor(scope: Construct, id: string, { config, aws }: ImageStoreProps) {
    super(scope, id);
    const name = resourceNames(config.environment).bucket(aws.accountId);

    const { bucket, versioning, policy } = privateBucket(this, {
      name,
      forceDestroy: config.forceDestroy,
      tags: { Purpose: "ImageStorage" },
      encryption: config.bucketKmsKeyArn
        ? {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: config.bucketKmsKeyArn },
            // One data key per bucket instead of one KMS call per object.
            bucketKeyEnabled: true,
          }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      policyStatements: (self) => [
        {
          sid: "DenyOutdatedTls",
          effect: "Deny",
          principals: ANYONE,
          actions: ["s3:*"],
          resources: [self.arn, `${self.arn}/*`],
          condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
        },
      ],
    });
    this.bucket = bucket;
    this.policy = policy;

    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "DeleteOldVersions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: config.noncurrentVersionExpirationDays }],
          // Delete markers left behind once every noncurrent version has expired.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: "AbortIncompleteMultipartUploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: config.abortIncompleteMultipartUploadDays }],
        },
      ],
      // A lifecycle rule on noncurrent versions needs versioning in place first.
      dependsOn: [versioning],
    });

    if (config.accessLogging) this.accessLogs = new AccessLogBucket(this, "AccessLogs", { config, aws, source: bucket });
  }
}
