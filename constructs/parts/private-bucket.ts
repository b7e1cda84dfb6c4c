import type { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import {
  S3BucketServerSideEncryptionConfigurationA,
  type S3BucketServerSideEncryptionConfigurationRuleA,
} from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { AwsContext } from "../support/aws-context";
import { Counted } from "../support/counted";
import { type PolicyStatement, denyInsecureTransport, denyOutdatedTls, policyJson } from "../support/policy-document";

export interface PrivateBucketProps {
  /** The bucket's name. */
  readonly name: string;
  /** Delete every object (every version) when the bucket is destroyed. */
  readonly forceDestroy: boolean;
  /** The bucket's own tags (its `Purpose`). */
  readonly tags: Record<string, string>;
  /** Default encryption rule. */
  readonly encryption: S3BucketServerSideEncryptionConfigurationRuleA;
  /** Account, region and partition, for the bucket's ARN in its policy. */
  readonly aws: AwsContext;
  /**
   * Statements beside the TLS-only denial every bucket policy here has, given the bucket's ARN.
   * @default none: the TLS-only denial alone
   */
  readonly policyStatements?: (bucketArn: string) => PolicyStatement[];
  /**
   * Whether the bucket exists, when Terraform decides (the owner counts the resources); the bucket's attributes are read accordingly.
   * @default the bucket is made
   */
  readonly counted?: Counted;
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
  const counted = props.counted ?? new Counted();
  const id = counted.attribute(bucket, "id");
  const arn = props.aws.bucketArn(counted.attribute(bucket, "bucket"));

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

  const policy = new S3BucketPolicy(scope, "Policy", {
    bucket: id,
    // From the bucket's name, which the plan knows on create (its `arn` only after apply), so the policy shows in full.
    // Every bucket refuses plain HTTP and TLS older than 1.2 for every action, whoever asks.
    policy: policyJson([denyInsecureTransport("s3:*", [arn, `${arn}/*`]), denyOutdatedTls(arn), ...(props.policyStatements?.(arn) ?? [])]),
    // S3 refuses policy changes while the public access block is being changed.
    dependsOn: [publicAccess],
  });
  return { bucket, versioning, policy };
}
