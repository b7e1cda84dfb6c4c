import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import type { AwsContext } from "../support/aws-context";
import { Counted } from "../support/counted";
import { BATCH_OBJECT_DAYS, BATCH_PREFIXES, type ResourceNames } from "../naming/names";
import { type PolicyStatement, policyJson, service } from "../support/policy-document";
import { CONDITION_CITATIONS, cited } from "../support/condition-citations";
import { privateBucket } from "./private-bucket";
import { viaServices } from "./function-statements";
import { planTimeSwitches } from "../support/plan-time";

export interface BatchOperationsProps {
  /** The part's names (`resourceNames(...).batchOperations`): the jobs bucket and the role. */
  readonly names: ResourceNames["batchOperations"];
  /** The account, region and partition the part's ARNs are built with. */
  readonly aws: AwsContext;
  /** The processor, the one function the role may invoke. */
  readonly functionArn: string;
  /** The image bucket: S3 Inventory may deliver its reports (manifests of every object) to the jobs bucket. */
  readonly imageBucketArn: string;
  /** Empty the jobs bucket when it is destroyed (the pipeline's `forceDestroy`). */
  readonly forceDestroy: boolean;
  /**
   * ARN of an IAM policy set as the permissions boundary of the role.
   * @default no permissions boundary
   */
  readonly rolePermissionsBoundaryArn?: string;
  /**
   * The KMS key S3 Inventory encrypts the reports it delivers under `inventory/` with (SSE-KMS, as the
   * inventory configuration chooses): the role may decrypt with it through S3, to read the manifests.
   * A literal ARN or a reference: given, the grant is there, whatever its value (in the module, as
   * `inventory_kms_key_arn` is null or not, in the policy itself: no count waits on the ARN).
   * @default none: the reports under SSE-S3, which the role reads without a key
   */
  readonly inventoryKmsKeyArn?: string;
  /**
   * Whether the part exists, when Terraform decides (the module's `batch_operations`).
   * @default the part is made
   */
  readonly counted?: Counted;
}

/**
 * What `image-pipeline backfill batch` needs: a private bucket for its
 * manifests (written by the command, or delivered there by S3 Inventory under `inventory/`) and
 * the jobs' completion reports (`reports/`), kept 30 days; and the role S3 Batch Operations
 * assumes for a job, which may invoke the processor and nothing else, read only the manifests and
 * write only the reports.
 *
 * @example
 * ```ts
 * // The pipeline makes this part with batchOperations: true:
 * new ImageProcessingPipeline(stack, "Images", { environment: "prod", batchOperations: true });
 * ```
 */
export class BatchOperations extends Construct {
  readonly bucket: S3Bucket;
  readonly role: IamRole;
  readonly policyStatements: readonly PolicyStatement[];
  /** The jobs bucket's name and the role's ARN (null in the module when the part is counted out). */
  readonly bucketName: string;
  /** The jobs bucket's ARN (null in the module without batch_operations). */
  readonly bucketArn: string;
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: BatchOperationsProps) {
    super(scope, id);
    const { names, aws } = props;
    const counted = props.counted ?? new Counted();
    const storeScope = new Construct(this, "Store");
    const store = privateBucket(storeScope, {
      name: names.bucket(aws.accountId),
      forceDestroy: props.forceDestroy,
      tags: { Purpose: "ImageBatchJobs" },
      encryption: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      aws,
      counted,
      policyStatements: (arn) => [
        {
          // S3 Inventory of the image bucket, in this account only: a manifest of every object, for the largest backfills.
          sid: "AllowInventoryOfTheImageBucket",
          effect: "Allow",
          principals: service("s3.amazonaws.com"),
          actions: ["s3:PutObject"],
          resources: [`${arn}/${BATCH_PREFIXES.inventory}*`],
          condition: cited(CONDITION_CITATIONS.inventoryDelivery, [
            { test: "ArnLike", variable: "aws:SourceArn", values: [props.imageBucketArn] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
          ]),
        },
      ],
    });
    this.bucket = store.bucket;
    new S3BucketLifecycleConfiguration(storeScope, "Lifecycle", {
      bucket: counted.attribute(store.bucket, "id"),
      rule: [
        {
          id: "ExpireJobFiles",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: BATCH_OBJECT_DAYS }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      dependsOn: [store.versioning],
    });

    this.role = new IamRole(this, "Role", {
      name: names.role,
      description: "Assumed by S3 Batch Operations for the image processor's backfill jobs",
      assumeRolePolicy: policyJson([
        {
          // AWS's documented trust policy for the Batch Operations role, as it is: no condition ("Granting
          // permissions for Batch Operations", https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-iam-role-policies.html).
          // No AWS page says Batch Operations sends aws:SourceAccount when it assumes the role, and a
          // condition it did not meet would fail every job. What bounds it: a job runs with the role only
          // when its creator may pass it (iam:PassRole), which no principal outside this account can be given.
          sid: "BatchOperationsAssumesRole",
          effect: "Allow",
          principals: service("batchoperations.s3.amazonaws.com"),
          actions: ["sts:AssumeRole"],
        },
      ]),
      permissionsBoundary: props.rolePermissionsBoundaryArn,
    });
    const bucketArn = aws.bucketArn(counted.attribute(store.bucket, "bucket"));
    this.policyStatements = [
      { sid: "InvokeTheProcessor", effect: "Allow", actions: ["lambda:InvokeFunction"], resources: [props.functionArn] },
      {
        sid: "ReadManifests",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [`${bucketArn}/${BATCH_PREFIXES.manifests}*`, `${bucketArn}/${BATCH_PREFIXES.inventory}*`],
      },
      { sid: "WriteCompletionReports", effect: "Allow", actions: ["s3:PutObject"], resources: [`${bucketArn}/${BATCH_PREFIXES.reports}*`] },
      { sid: "LocateTheJobsBucket", effect: "Allow", actions: ["s3:GetBucketLocation"], resources: [bucketArn] },
      ...(props.inventoryKmsKeyArn === undefined ? [] : [decryptInventoryManifests(this, aws, props.inventoryKmsKeyArn)]),
    ];
    new IamRolePolicy(this, "Policy", {
      name: names.rolePolicy,
      role: counted.attribute(this.role, "id"),
      policy: policyJson(this.policyStatements),
    });
    this.bucketName = counted.attribute(store.bucket, "bucket");
    this.bucketArn = counted.attribute(store.bucket, "arn");
    this.roleArn = counted.attribute(this.role, "arn");
    counted.countAll(this);
  }
}

/**
 * Reading an SSE-KMS inventory manifest: S3 decrypts it with the key on the role's behalf, so the
 * grant holds only for requests S3 makes (kms:ViaService, cited); Decrypt alone, nothing is written under it.
 */
function decryptInventoryManifests(scope: Construct, aws: AwsContext, keyArn: string): PolicyStatement {
  return {
    sid: "DecryptInventoryManifests",
    effect: "Allow",
    actions: ["kms:Decrypt"],
    resources: [keyArn],
    condition: cited(CONDITION_CITATIONS.keyUsedThroughS3, [viaServices(aws, "s3")]),
    // In the module, in the policy when inventory_kms_key_arn is not null.
    onlyIf: planTimeSwitches(scope).inventoryKmsKey,
  };
}
