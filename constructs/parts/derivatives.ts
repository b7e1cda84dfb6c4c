import { Construct } from "constructs";
import { Fn, type TerraformResource, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { type AccessLogDelivery, DERIVATIVES_ACCESS_LOG_PREFIX } from "./access-log-bucket";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import { DERIVATIVES_ENV, DERIVATIVES_TELEMETRY, type Rendition } from "../../functions/image-derivatives/environment";
import { resolveRenditions } from "../../functions/image-derivatives/core/renditions";
import type { AwsContext } from "../support/aws-context";
import { CodeArchive } from "../support/code-archive";
import { DeadLetterQueue } from "./dead-letter-queue";
import { DEFAULTS } from "../config/defaults";
import { encryptionRule } from "./image-store";
import { catalogAlarms } from "./metric-alarm";
import { DERIVATIVES_ALARMS } from "../naming/alarm-catalog";
import type { ResourceNames } from "../naming/names";
import { type PolicyStatement, denyInsecureTransport, policyJson } from "../support/policy-document";
import { privateBucket } from "./private-bucket";
import { sharedFunctionConfig } from "./function-config";
import { attachPolicies, executionRole } from "./function-statements";
import { packagedCodeDir } from "../support/code-dir";
import { derivativesPolicyStatements, encryptRenditions, useBucketKey } from "./derivatives-policy";
import { times } from "../support/tokens";
import type { DerivativesProps } from "./derivatives-props";
import { planTimeSwitches } from "../support/plan-time";
import { settingsEnvironment } from "./settings-environment";

export type { DerivativesProps };

/**
 * Opt-in renditions of every processed image: an encrypted queue the processor sends a request
 * to per processed image, with its dead-letter queue; the derivatives function (arm64, sharp and
 * libvips) that consumes it in batches; and the private derivatives bucket it writes to. The
 * bucket has no notification, so nothing it holds can trigger any function.
 *
 * @example
 * ```ts
 * // The pipeline makes this part when given renditions (its props are the pipeline's own resolved settings):
 * new ImageProcessingPipeline(stack, "Images", {
 *   environment: "dev",
 *   derivatives: [{ name: "thumbnail", width: 320, height: 320, fit: "cover", format: "webp" }],
 * });
 * ```
 */
export class Derivatives extends Construct {
  readonly bucket: S3Bucket;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly eventSourceMapping: LambdaEventSourceMapping;
  readonly alarms: Record<keyof ResourceNames["derivatives"]["alarms"], CloudwatchMetricAlarm>;
  readonly policyStatements: readonly PolicyStatement[];
  /** The processor's grant to send requests, once {@link Derivatives.allowRequestsFrom} made it. */
  requestsPolicy?: IamRolePolicy;
  /** The queue's ARN from its name, which the plan knows on create (its `arn` only after apply): for the policies that name it. */
  private readonly queueArnFromName: string;

  constructor(scope: Construct, id: string, props: DerivativesProps) {
    super(scope, id);
    const { names, settings, aws } = props;
    // In the module, whether the images' key is given is its switch's to say (the key may be null).
    const bucketKeyGiven = planTimeSwitches(this).bucketKmsKey;

    // Its own scope, so its resources read Derivatives_Store_Bucket, Derivatives_Store_Policy, ...
    const storeScope = new Construct(this, "Store");
    const store = privateBucket(storeScope, {
      name: names.bucket(aws.accountId),
      forceDestroy: props.forceDestroy,
      tags: { Purpose: "ImageDerivatives" },
      // The pipeline's own: beside another's bucket under their key, the pipeline's key (renditionsKeyOf).
      encryption: encryptionRule(props.renditionsKmsKeyArn ?? props.bucketKmsKeyArn, bucketKeyGiven),
      aws,
    });
    this.bucket = store.bucket;
    new S3BucketLifecycleConfiguration(storeScope, "Lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "DeleteReplacedRenditions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: settings.noncurrentVersionExpirationDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: "AbortIncompleteMultipartUploads",
          status: "Enabled",
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
      dependsOn: [store.versioning],
    });
    if (props.accessLogs !== undefined) this.logAccess(storeScope, props.accessLogs);

    this.deadLetterQueue = new DeadLetterQueue(this, "DeadLetterQueue", {
      queueName: names.deadLetterQueue,
      kmsKeyArn: props.kmsKeyArn,
      aws,
    });
    this.queue = new SqsQueue(this, "Queue", {
      name: names.queue,
      kmsMasterKeyId: props.kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      // Requests wait out a week's outage of the function. SQS keeps a message's first enqueue time
      // when it moves it to the dead-letter queue, so that queue keeps its messages longer (14 days):
      // a request dead-lettered on its last day still waits a week there.
      messageRetentionSeconds: DEFAULTS.derivatives.queueRetentionDays * 86400,
      // AWS's advice for Lambda consumers: six times the function timeout.
      visibilityTimeoutSeconds: times(settings.timeoutSeconds, 6),
      // Owned by the redrive policy resource below; the queue must not plan it back.
      lifecycle: { ignoreChanges: ["redrive_policy"] },
    });
    this.queueArnFromName = aws.arn("sqs", this.queue.name);
    // A resource of its own: nothing else refers to it, so a change to it holds nothing else up.
    const redrive = new SqsQueueRedrivePolicy(this, "QueueRedrivePolicy", {
      queueUrl: this.queue.url,
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: this.deadLetterQueue.queue.arn, maxReceiveCount: settings.maxReceiveCount }),
    });
    new SqsQueuePolicy(this, "QueuePolicy", {
      queueUrl: this.queue.url,
      policy: policyJson([denyInsecureTransport("sqs:*", [this.queueArnFromName])]),
      // The access policy is written last. Harmless on AWS; on moto 5.2.5 a SetQueueAttributes of the
      // redrive policy alone erases the queue's Policy, and the provider then waits for it forever
      // (emulator-gaps.json, "sqs-policy-order").
      dependsOn: [redrive],
    });

    const functionName = names.function;
    this.role = executionRole(this, { name: names.role, functionName, permissionsBoundary: props.rolePermissionsBoundaryArn });
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: names.logGroup,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.policyStatements = derivativesPolicyStatements(
      {
        ...props,
        bucketKmsKeyArn: bucketKeyGiven === undefined ? props.bucketKmsKeyArn : undefined,
        renditionsKmsKeyArn: bucketKeyGiven === undefined ? props.renditionsKmsKeyArn : undefined,
        // From the names, which the plan knows on create, so the policy shows in full.
        bucketName: this.bucket.bucket,
        queueArn: this.queueArnFromName,
      },
      this.logGroup.name,
    );
    const policy = new IamRolePolicy(this, "Policy", {
      name: names.rolePolicy,
      role: this.role.id,
      policy: policyJson(this.policyStatements),
    });
    const policies: TerraformResource[] = [policy];
    const attached = attachPolicies(this, this.role, props.rolePolicyArns);
    if (attached) policies.push(attached);
    if (props.bucketKmsKeyArn !== undefined && bucketKeyGiven !== undefined)
      policies.push(
        this.useBucketKeyWhenGiven(
          aws,
          { bucketKmsKeyArn: props.bucketKmsKeyArn, renditionsKmsKeyArn: props.renditionsKmsKeyArn },
          bucketKeyGiven,
          names.rolePolicy,
        ),
      );

    const code = new CodeArchive(this, "Code", {
      sourceDir: props.codeDir ?? packagedCodeDir("image-derivatives"),
      fileName: "image-derivatives.zip",
    });
    this.function = new LambdaFunction(this, "Function", {
      ...sharedFunctionConfig(
        code,
        this.logGroup,
        {
          [DERIVATIVES_ENV.table]: props.tableName,
          [DERIVATIVES_ENV.bucket]: this.bucket.bucket,
          [DERIVATIVES_ENV.environment]: props.environment,
          [DERIVATIVES_ENV.renditions]: renditionsVariable(props.renditions),
          // derivativesSettings.<field> from the settings, the rest (maxImagePixels) from the props.
          ...settingsEnvironment("derivatives", (prop) =>
            prop.startsWith("derivativesSettings.")
              ? settings[prop.split(".")[1] as keyof typeof settings]
              : props[prop as keyof DerivativesProps],
          ),
          [DERIVATIVES_ENV.serviceName]: DERIVATIVES_TELEMETRY.serviceName,
          [DERIVATIVES_ENV.metricsNamespace]: DERIVATIVES_TELEMETRY.metricsNamespace,
        },
        props.tracing,
      ),
      functionName,
      description: "Makes the renditions of processed images (sharp and libvips)",
      role: this.role.arn,
      memorySize: settings.memorySize,
      timeout: settings.timeoutSeconds,
      dependsOn: [this.logGroup, ...policies],
    });

    this.eventSourceMapping = new LambdaEventSourceMapping(this, "QueueEvents", {
      eventSourceArn: this.queue.arn,
      functionName: this.function.arn,
      batchSize: settings.batchSize,
      scalingConfig: { maximumConcurrency: settings.maximumConcurrency },
      // Only the failed requests of a batch return to the queue.
      functionResponseTypes: ["ReportBatchItemFailures"],
      // Lambda checks the role's queue permissions when the mapping is created.
      dependsOn: [policy],
    });

    this.alarms = catalogAlarms(this, DERIVATIVES_ALARMS, {
      names: names.alarms,
      watched: {
        functionName: this.function.functionName,
        queueName: this.queue.name,
        deadLetterQueueName: this.deadLetterQueue.queue.name,
      },
      limits: { lambdaErrors: props.lambdaErrorsThreshold, queueAgeAlarmSeconds: settings.queueAgeAlarmSeconds },
      actions: props.alarmActions,
    });
  }

  /**
   * Lets a role (the processor's) send requests to the queue, and nothing else: an inline policy
   * of its own on that role, named `<policyName>`, so the role's main policy stays as it is.
   */
  allowRequestsFrom(role: { readonly name: string; readonly id: string }, policyName: string): IamRolePolicy {
    this.requestsPolicy = new IamRolePolicy(this, "RequestsPolicy", {
      name: policyName,
      role: role.id,
      policy: policyJson([
        // From the queue's name, which the plan knows on create, so this grant shows in full.
        { sid: "RequestDerivatives", effect: "Allow", actions: ["sqs:SendMessage"], resources: [this.queueArnFromName] },
      ]),
    });
    return this.requestsPolicy;
  }

  /** The bucket's server access logs into the image bucket's log bucket (in the module, counted by whether that bucket is made). */
  private logAccess(scope: Construct, logs: AccessLogDelivery): void {
    const made = planTimeSwitches(this).createBucket;
    new S3BucketLoggingA(scope, "Logging", {
      bucket: this.bucket.id,
      targetBucket: logs.targetBucket,
      targetPrefix: DERIVATIVES_ACCESS_LOG_PREFIX,
      count: made === undefined ? undefined : Token.asNumber(Fn.conditional(made, 1, 0)),
    });
  }

  /**
   * The bucket keys' grant in the module, where the keys may be null: counted by the module's switch, never by
   * a key's value. The renditions' key too (the image bucket's own, or the pipeline's beside another's bucket).
   */
  private useBucketKeyWhenGiven(
    aws: AwsContext,
    keys: { readonly bucketKmsKeyArn: string; readonly renditionsKmsKeyArn?: string },
    given: boolean,
    policyName: string,
  ): IamRolePolicy {
    const count = Token.asNumber(Fn.conditional(given, 1, 0));
    const { bucketKmsKeyArn, renditionsKmsKeyArn } = keys;
    return new IamRolePolicy(this, "BucketKeyPolicy", {
      name: `${policyName}-bucket-key`,
      role: this.role.id,
      policy: policyJson([
        useBucketKey(aws, bucketKmsKeyArn),
        ...(renditionsKmsKeyArn === undefined ? [] : [encryptRenditions(aws, renditionsKmsKeyArn)]),
      ]),
      count,
    });
  }
}

/** The renditions as the function's variable: JSON with every default written out, so the plan shows them. */
function renditionsVariable(renditions: readonly Rendition[]): string {
  return Token.isUnresolved(renditions) ? Fn.jsonencode(renditions) : JSON.stringify(resolveRenditions(renditions));
}
