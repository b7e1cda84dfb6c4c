// The derivatives part's props (constructs/parts/derivatives.ts).
import type { Rendition } from "../../functions/image-derivatives/environment";
import type { AccessLogDelivery } from "./access-log-bucket";
import type { AwsContext } from "../support/aws-context";
import type { ResourceNames } from "../interface/names";
import type { DerivativesSettings } from "../config/derivatives-settings";

export interface DerivativesProps {
  /** The renditions, already validated (resolveConfig). */
  readonly renditions: readonly Rendition[];
  readonly settings: Required<DerivativesSettings>;
  /** The derivatives part's names (`resourceNames(...).derivatives`). */
  readonly names: ResourceNames["derivatives"];
  /** The `environment` dimension of the function's metrics. */
  readonly environment: string;
  readonly aws: AwsContext;
  /** The image bucket, read (never written) by the function. */
  readonly imageBucketArn: string;
  /** Customer managed key of the image bucket, if any: the function decrypts the images with it through S3. */
  readonly bucketKmsKeyArn?: string;
  /**
   * The derivatives bucket's key where it is not the image bucket's: the pipeline's key, beside a bucket
   * the pipeline does not own whose owner encrypts it with a key of theirs (`renditionsKeyOf`). The
   * function may encrypt renditions with it through S3.
   * @default the image bucket's key (`bucketKmsKeyArn`), SSE-S3 without one
   */
  readonly renditionsKmsKeyArn?: string;
  readonly tableArn: string;
  readonly tableName: string;
  /** The pipeline key: queues, table and log group. */
  readonly kmsKeyArn: string;
  /** What the alarms run on ALARM (the notifications topic, or `alarmActions`); on OK, those that notify. */
  readonly alarmActions: readonly string[];
  readonly forceDestroy: boolean;
  readonly logRetentionDays: number;
  readonly maxImagePixels: number;
  readonly lambdaErrorsThreshold: number;
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
