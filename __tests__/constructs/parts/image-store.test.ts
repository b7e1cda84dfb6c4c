import { Testing } from "cdktf";
import { ImageStore } from "../../../constructs/parts/image-store";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { resolver } from "../../helpers/iam";
import { onlyResource, policyDocumentOf, ref, resourceNamed, statement, synthStack } from "../../helpers/synth";

describe("ImageStore", () => {
  const stack = synthStack();
  const bucketRef = (attribute: string) => ref(stack, "aws_s3_bucket", attribute);

  it("names the bucket image-storage-bucket-<env>-<account id> and may empty it on destroy outside prod", () => {
    expect(stack.json).toHaveResourceWithProperties(S3Bucket, {
      bucket: `image-storage-bucket-dev-${ref(stack, "aws_caller_identity", "account_id", "data")}`,
      force_destroy: true,
    });
  });

  it("keeps every image in prod (no force_destroy)", () => {
    const prod = synthStack({ environment: "prod" });

    expect(resourceNamed(prod, "aws_s3_bucket", "bucket", "image-storage-bucket-prod-")[1].force_destroy).toBe(false);
  });

  it("blocks every kind of public access", () => {
    expect(stack.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketRef("id"),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it("disables ACLs (BucketOwnerEnforced) and enables versioning", () => {
    expect(stack.json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(stack.json).toHaveResourceWithProperties(S3BucketVersioningA, {
      versioning_configuration: { status: "Enabled" },
    });
  });

  it("encrypts with SSE-S3 by default", () => {
    const encryption = onlyResource(stack, "aws_s3_bucket_server_side_encryption_configuration");

    expect(encryption.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  it("encrypts with the given customer managed key and a bucket key", () => {
    const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/0e1f2a3b-aaaa-bbbb-cccc-0123456789ab";
    const withKey = synthStack({ bucketKmsKeyArn: keyArn });

    expect(onlyResource(withKey, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: keyArn }, bucket_key_enabled: true },
    ]);
  });

  it("expires noncurrent versions and aborts incomplete uploads, after versioning exists", () => {
    const lifecycle = onlyResource(synthStack({ noncurrentVersionExpirationDays: 45 }), "aws_s3_bucket_lifecycle_configuration");
    const rules = Object.fromEntries(lifecycle.rule.map((rule: any) => [rule.id, rule]));

    expect(rules.DeleteOldVersions).toMatchObject({ status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 45 }] });
    expect(rules.AbortIncompleteMultipartUploads).toMatchObject({
      status: "Enabled",
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
  });

  describe("bucket policy", () => {
    const policy = onlyResource(stack, "aws_s3_bucket_policy");
    const document = policyDocumentOf(policy.policy);
    // Resolved as Terraform would: the policy builds the ARN from the bucket's name, known at plan.
    const resolve = resolver(stack);
    const resolved = (s: any) => ({ ...s, resources: s.resources.map(resolve) });
    const everything = [bucketRef("arn"), `${bucketRef("arn")}/*`].map(resolve);

    it("denies any request without TLS, to the bucket and its objects, for everyone", () => {
      expect(resolved(statement(document, "DenyInsecureTransport"))).toEqual(
        expect.objectContaining({
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: everything,
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        }),
      );
    });

    it("denies TLS older than 1.2", () => {
      expect(resolved(statement(document, "DenyOutdatedTls"))).toEqual(
        expect.objectContaining({
          effect: "Deny",
          resources: everything,
          condition: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
        }),
      );
    });

    it("grants nothing: every statement is a Deny", () => {
      expect(document.statement.map((s) => s.effect)).toEqual(["Deny", "Deny"]);
    });

    it("is applied after the public access block", () => {
      expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
    });
  });
});

describe("ImageStore on its own (Testing.synthScope)", () => {
  it("needs only a bucket name: SSE-S3, no force_destroy, no access-log bucket", () => {
    const json = Testing.synthScope((scope) => new ImageStore(scope, "Store", { bucketName: "photos-bucket" }));
    const tf = JSON.parse(json);
    const [encryption] = Object.values(tf.resource.aws_s3_bucket_server_side_encryption_configuration) as any[];

    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: "photos-bucket", force_destroy: false });
    expect(Object.keys(tf.resource.aws_s3_bucket)).toHaveLength(1);
    expect(encryption.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }]);
  });

  it("refuses lifecycle days out of range, naming the field", () => {
    expect(() =>
      Testing.synthScope((scope) => new ImageStore(scope, "Store", { bucketName: "b", abortIncompleteMultipartUploadDays: 0 })),
    ).toThrow("abortIncompleteMultipartUploadDays must be an integer from 1 to 365; got 0");
  });
});
