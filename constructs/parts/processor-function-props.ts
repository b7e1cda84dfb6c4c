// The processor part's props (constructs/parts/processor-function.ts).
import type { AwsContext } from "../support/aws-context";
import type { Counted } from "../support/counted";
import type { ProcessorSettings } from "../config/processor-settings";

export interface ProcessorFunctionProps extends ProcessorSettings {
  /** Name of the function; its log group is `/aws/lambda/<functionName>`. */
  readonly functionName: string;
  /**
   * Whether the function receives the bucket's deletions (ObjectRemoved events): it then lists
   * a deleted key's versions (`s3:ListBucketVersions`) to find the version a delete marker hides.
   * @default true
   */
  readonly propagateDeletions?: boolean;
  /**
   * Name of the function's execution role.
   * @default the function's name
   */
  readonly roleName?: string;
  /**
   * Name of the role's inline policy.
   * @default `<functionName>-policy`
   */
  readonly policyName?: string;
  /** Value of the `environment` dimension of the processor's metrics and attribute of its notices. */
  readonly environment: string;
  /** The image bucket: its objects are read, and it may invoke the function. */
  readonly bucketArn: string;
  /**
   * Whether the bucket's notification invokes the function (and so needs leave to). Off with
   * EventBridge delivery, where a queue's event source mapping invokes it.
   * @default true
   */
  readonly invokedByBucket?: boolean;
  /**
   * In the module: whether the bucket notifies the function (a bucket it makes, without EventBridge
   * delivery) as its switches decide at plan time, counting the invoke permission in or out.
   * @default not counted: the permission is made when `invokedByBucket` is
   */
  readonly invokePermissionCounted?: Counted;
  /** The metadata table the processor writes. */
  readonly tableArn: string;
  /** The metadata table's name, for the function's environment. */
  readonly tableName: string;
  /** The topic the processor notifies. */
  readonly topicArn: string;
  /** Where Lambda sends events the processor failed on. */
  readonly deadLetterQueueArn: string;
  /**
   * URL of the derivatives queue: the processor sends it one request per processed image (the
   * derivatives part grants the role that: `Derivatives.allowRequestsFrom`). Empty means none.
   * @default none (no derivatives)
   */
  readonly derivativesQueueUrl?: string;
  /**
   * Customer managed key of the table, topic, queue and log group; the processor may use it through those services.
   * @default none (the services' AWS managed keys)
   */
  readonly kmsKeyArn?: string;
  /**
   * Customer managed key of the image bucket; the processor may decrypt through S3 with it. A literal
   * ARN or a reference (to a key in the same configuration, a variable): given, it is granted.
   * @default none (SSE-S3)
   */
  readonly bucketKmsKeyArn?: string;
  /**
   * Account, region and partition to build ARNs from.
   * @default a new {@link AwsContext} in this construct
   */
  readonly aws?: AwsContext;
}
