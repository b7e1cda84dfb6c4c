import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { AccessLogBucket } from "./access-log-bucket";
import { AwsContext } from "./aws-context";
import { ResolvedPipelineConfig } from "./config";
import { resourceNames } from "./names";
import { ANYONE, policyDocument } from "./policy-document";

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

    this.bucket = new S3Bucket(this, "Bucket", {
      bucket: resourceNames(config.environment).bucket(aws.accountId),
      forceDestroy: config.forceDestroy,
      tags: { Purpose: "ImageStorage" },
    });
    const bucket = this.bucket.id;

    const publicAccess = new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    // ACLs are disabled: the bucket owner owns every object, whoever uploads it.
    new S3BucketOwnershipControls(this, "OwnershipControls", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });

    const versioning = new S3BucketVersioningA(this, "Versioning", {
      bucket,
      versioningConfiguration: { status: "Enabled" },
    });

    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket,
      rule: [
        config.bucketKmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: config.bucketKmsKeyArn },
              // One data key per bucket instead of one KMS call per object.
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });

    new S3BucketLifecycleConfiguration(this, "Lifecycle", {
      bucket,
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

    const objects = [this.bucket.arn, `${this.bucket.arn}/*`];
    const document = policyDocument(this, "PolicyDocument", [
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: ANYONE,
        actions: ["s3:*"],
        resources: objects,
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
      {
        sid: "DenyOutdatedTls",
        effect: "Deny",
        principals: ANYONE,
        actions: ["s3:*"],
        resources: objects,
        condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
      },
    ]);
    this.policy = new S3BucketPolicy(this, "Policy", {
      bucket,
      policy: document.json,
      // S3 refuses policy changes while the public access block is being changed.
      dependsOn: [publicAccess],
    });

    if (config.accessLogging) this.accessLogs = new AccessLogBucket(this, "AccessLogs", { config, aws, source: this.bucket });
  }
}
