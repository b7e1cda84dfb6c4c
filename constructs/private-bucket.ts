import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import {
  S3BucketServerSideEncryptionConfigurationA,
  S3BucketServerSideEncryptionConfigurationRuleA,
} from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { PolicyStatement, denyInsecureTransport, policyDocument } from "./policy-document";

export interface PrivateBucketProps {
  readonly name: string;
  readonly forceDestroy: boolean;
  readonly tags: Record<string, string>;
  /** Default encryption rule. */
  readonly encryption: S3BucketServerSideEncryptionConfigurationRuleA;
  /** Statements beside the TLS-only denial every bucket policy here has, given the bucket. */
  readonly policyStatements?: (bucket: S3Bucket) => PolicyStatement[];
}

/** What every bucket of the pipeline is made of, created in the scope of the construct that owns it. */
export interface PrivateBucket {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  /** The bucket policy; other resources that change the bucket wait for it. */
  readonly policy: S3BucketPolicy;
}

/**
 * A bucket no one outside can reach: all four public access blocks, ACLs disabled (the
 * bucket owner owns every object), versioning, default encryption, and a policy that
 * denies requests without TLS. The resources are children of `scope`, so their Terraform
 * addresses are the owner's (Store_Bucket, Store_PublicAccessBlock, ...).
 */
export function privateBucket(scope: Construct, props: PrivateBucketProps): PrivateBucket {
  const bucket = new S3Bucket(scope, "Bucket", { bucket: props.name, forceDestroy: props.forceDestroy, tags: props.tags });
  const id = bucket.id;

  const publicAccess = new S3BucketPublicAccessBlock(scope, "PublicAccessBlock", {
    bucket: id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "OwnershipControls", { bucket: id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const versioning = new S3BucketVersioningA(scope, "Versioning", { bucket: id, versioningConfiguration: { status: "Enabled" } });
  new S3BucketServerSideEncryptionConfigurationA(scope, "Encryption", { bucket: id, rule: [props.encryption] });

  const document = policyDocument(scope, "PolicyDocument", [
    denyInsecureTransport("s3:*", [bucket.arn, `${bucket.arn}/*`]),
    ...(props.policyStatements?.(bucket) ?? []),
  ]);
  const policy = new S3BucketPolicy(scope, "Policy", {
    bucket: id,
    policy: document.json,
    // S3 refuses policy changes while the public access block is being changed.
    dependsOn: [publicAccess],
  });
  return { bucket, versioning, policy };
}
