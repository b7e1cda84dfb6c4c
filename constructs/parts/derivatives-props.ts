// The derivatives part's props (constructs/parts/derivatives.ts).
import type { Rendition } from "../../functions/image-derivatives/environment";
import type { AccessLogDelivery } from "./access-log-bucket";
import type { AwsContext } from "../support/aws-context";
import type { ResourceNames } from "../naming/names";
import type { DerivativesSettings } from "../config/derivatives-settings";

export interface DerivativesProps {
  /** The renditions, already validated (resolveConfig). */
  readonly renditions: readonly Rendition[];
  /** How the function runs, every setting given (resolveConfig applies the defaults). */
  readonly settings: Required<DerivativesSettings>;
  /** The derivatives part's names (`resourceNames(...).derivatives`). */
  readonly names: ResourceNames["derivatives"];
  /** The `environment` dimension of the function's metrics. */
  readonly environment: string;
  /** The account, region and partition the part's ARNs are built with. */
  readonly aws: AwsContext;
  /** The image bucket, read (never written) by the function. */
  readonly imageBucketArn: string;
  /**
   * Customer managed key of the image bucket, if any: the function decrypts the images with it through S3.
   * @default none: the image bucket is SSE-S3
   */
  readonly bucketKmsKeyArn?: string;
  /**
   * The derivatives bucket's key where it is not the image bucket's: the pipeline's key, beside a bucket
   * the pipeline does not own whose owner encrypts it with a key of theirs (`renditionsKeyOf`). The
   * function may encrypt renditions with it through S3.
   * @default the image bucket's key (`bucketKmsKeyArn`), SSE-S3 without one
   */
  readonly renditionsKmsKeyArn?: string;
  /** The metadata table, whose items the function updates with their renditions. */
  readonly tableArn: string;
  /** The metadata table's name, for the function's environment. */
  readonly tableName: string;
  /** The pipeline key: queues, table and log group. */
  readonly kmsKeyArn: string;
  /** What the alarms run on ALARM (the notifications topic, or `alarmActions`); on OK, those that notify. */
  readonly alarmActions: readonly string[];
  /** Empty the derivatives bucket when it is destroyed (the pipeline's `forceDestroy`). */
  readonly forceDestroy: boolean;
  /** Retention of the function's log group in days (the pipeline's `logRetentionDays`). */
  readonly logRetentionDays: number;
  /** Largest image the function decodes, in pixels (the pipeline's `maxImagePixels`). */
  readonly maxImagePixels: number;
  /** Lambda `Errors` of the function per 5 minutes above which its errors alarm fires. */
  readonly lambdaErrorsThreshold: number;
  /**
   * ARN of an IAM policy set as the permissions boundary of the function's role.
   * @default no permissions boundary
   */
  readonly rolePermissionsBoundaryArn?: string;
  /**
   * ARNs of IAM policies attached to the function's role beside its own policy.
   * @default none
   */
  readonly rolePolicyArns?: readonly string[];
  /**
   * The image bucket's log bucket: the derivatives bucket's access logs go there too, under
   * `derivatives-access-logs/`.
   * @default no access logging (the image bucket has none)
   */
  readonly accessLogs?: AccessLogDelivery;
  /**
   * X-Ray tracing of the function.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Folder holding the bundled function with its linux-arm64 `node_modules` (sharp and libvips).
   * @default the bundle shipped with this package (`build/image-derivatives`)
   */
  readonly codeDir?: string;
}
