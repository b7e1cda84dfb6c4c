// Which image bucket the pipeline uses: one it makes and owns, or one it is given (existingBucket, by
// name: a literal or a reference), or, in the Terraform module, either as `create_bucket` decides at plan time.
import { Fn, Token } from "cdktf";
import type { ExistingBucket } from "../config/pipeline-props";
import type { AwsContext } from "../support/aws-context";
import { type Counted, givenOrMade, madeUnlessGiven } from "../support/counted";
import type { ImageStore } from "./image-store";

/** Whether the pipeline makes its bucket: yes, no, or as Terraform decides (its resources counted). */
export interface BucketOwnership {
  /** The pipeline makes its bucket (counted in or out when `counted.counted`). */
  readonly owns: boolean;
  readonly counted: Counted;
  /** The given bucket, when there is one (in the module, its variables, null when the module makes its own). */
  readonly existing?: ExistingBucket;
}

/** Owned unless a bucket is given, whatever its name's value; in the module, as `createBucket` decides. */
export function bucketOwnership(existing: ExistingBucket | undefined, createBucket?: boolean): BucketOwnership {
  const { makes, counted } = madeUnlessGiven(existing?.name, createBucket);
  return { owns: makes, counted, existing };
}

/** The image bucket's name and ARN (from the name, which the plan knows on create), owned or given. */
export function imageBucketOf(aws: AwsContext, ownership: BucketOwnership, store?: ImageStore): { name: string; arn: string } {
  const { existing, counted } = ownership;
  if (store && !counted.counted) return { name: store.bucket.bucket, arn: aws.bucketArn(store.bucket.bucket) };
  const name = givenOrMade({ makes: ownership.owns, counted }, existing?.name, () => counted.attribute(store!.bucket, "bucket"));
  return { name, arn: aws.bucketArn(name) };
}

/** The key of the images: the owned bucket's (`bucketKmsKeyArn`) or the given bucket's. */
export function imageKeyOf(ownership: BucketOwnership, bucketKmsKeyArn: string | undefined): string | undefined {
  const { existing, counted } = ownership;
  if (existing === undefined) return bucketKmsKeyArn;
  if (!counted.counted) return existing.kmsKeyArn;
  // At most one of the two is set (the module's validation); none: null.
  const keys = [existing.kmsKeyArn, bucketKmsKeyArn].filter((key): key is string => key !== undefined);
  return Token.asString(Fn.one(Fn.compact(keys)));
}

/**
 * The derivatives bucket's key where it is not the image bucket's: the renditions are the pipeline's
 * own, so beside a bucket it does not own, encrypted with its owner's key, they take the pipeline's
 * key (the owner's stays the owner's: the functions only decrypt images with it). Undefined: the
 * renditions share the pipeline's own image bucket's key (`bucketKmsKeyArn`), or SSE-S3 as the images.
 * In the module, whole, as its switches decide: `create_bucket ? bucket_kms_key_arn : (use_bucket_kms_key ? <pipeline key> : null)`.
 */
export function renditionsKeyOf(
  ownership: BucketOwnership,
  keys: { readonly bucketKmsKeyArn?: string; readonly pipelineKeyArn: string },
  imagesKeyed?: boolean,
): string | undefined {
  const { existing, counted } = ownership;
  if (!counted.counted) return existing?.kmsKeyArn === undefined ? undefined : keys.pipelineKeyArn;
  const besideTheOwners = Fn.conditional(imagesKeyed, keys.pipelineKeyArn, Token.nullValue());
  return Token.asString(Fn.conditional(counted.enabled, keys.bucketKmsKeyArn ?? Token.nullValue(), besideTheOwners));
}
