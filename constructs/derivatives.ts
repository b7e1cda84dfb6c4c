import { Construct } from "constructs";
import { Fn, Op, TerraformIterator, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import { DERIVATIVES_ENV, DERIVATIVES_TELEMETRY, Rendition } from "../functions/image-derivatives/environment";
import { resolveRenditions } from "../functions/image-derivatives/core/renditions";
import { AwsContext } from "./aws-context";
import { CodeArchive } from "./code-archive";
import { DeadLetterQueue } from "./dead-letter-queue";
import { DEFAULTS } from "./defaults";
import { encryptionRule } from "./image-store";
import { metricAlarm } from "./monitoring";
import { ResourceNames } from "./names";
import { PolicyStatement, denyInsecureTransport, policyJson } from "./policy-document";
import { privateBucket } from "./private-bucket";
import { PROCESSOR_RUNTIME, executionRole, logsAndTraces, packagedCodeDir, readImages, viaServices } from "./processor-function";
import { rangeProblems } from "./rules";
import { asText, times } from "./tokens";

/** How the derivatives function runs. Every field is optional. */
export interface DerivativesSettings {
  /**
   * Memory of the derivatives function in MB (128 to 10240); also its share of CPU. A 24-megapixel
   * photo decodes to about 70 MB of pixels, and libvips needs a few times that.
   * @default 1536
   */
  readonly memorySize?: number;
  /**
   * Timeout of one batch in seconds (1 to 900); the queue's visibility timeout is six times this.
   * @default 120
   */
  readonly timeoutSeconds?: number;
  /**
   * Largest image, in bytes (1 MiB to 1 GiB), the function reads whole to make renditions; a larger
   * one is recorded on its item as `too-large`, with no renditions.
   * @default 52428800 (50 MiB)
   */
  readonly maxSourceBytes?: number;
  /**
   * Requests per invocation (1 to 10); they are rendered one after another.
   * @default 4
   */
  readonly batchSize?: number;
  /**
   * Deliveries of a request (1 to 10) before it goes to the derivatives dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Days after which replaced renditions (noncurrent versions) are deleted (1 to 3650).
   * @default 7
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Age in seconds of the oldest waiting request (60 to 1209600) above which the queue-age alarm fires.
   * @default 900
   */
  readonly queueAgeAlarmSeconds?: number;
  /**
   * Concurrent invocations the queue may drive (2 to 1000, the event source mapping's maximum
   * concurrency): bounds the account's concurrency, the table's write rate and the memory in use
   * when many images arrive at once. Requests beyond it wait in the queue.
   * @default 5
   */
  readonly maximumConcurrency?: number;
}

/** The settings with their defaults, and the problems of the invalid ones. */
export function resolveDerivativesSettings(settings: DerivativesSettings = {}) {
  const d = DEFAULTS.derivatives;
  const resolved = {
    memorySize: settings.memorySize ?? d.memorySize,
    timeoutSeconds: settings.timeoutSeconds ?? d.timeoutSeconds,
    maxSourceBytes: settings.maxSourceBytes ?? d.maxSourceBytes,
    batchSize: settings.batchSize ?? d.batchSize,
    maxReceiveCount: settings.maxReceiveCount ?? d.maxReceiveCount,
    noncurrentVersionExpirationDays: settings.noncurrentVersionExpirationDays ?? d.noncurrentVersionExpirationDays,
    queueAgeAlarmSeconds: settings.queueAgeAlarmSeconds ?? d.queueAgeAlarmSeconds,
    maximumConcurrency: settings.maximumConcurrency ?? d.maximumConcurrency,
  };
  const problems = rangeProblems(Object.fromEntries(Object.entries(resolved).map(([k, v]) => [`derivativesSettings.${k}`, v])));
  return { settings: resolved, problems };
}

export interface DerivativesProps {
  /** The renditions, already validated (resolveConfig). */
  readonly renditions: readonly Rendition[];
  readonly settings: ReturnType<typeof resolveDerivativesSettings>["settings"];
  /** The derivatives part's names (`resourceNames(...).derivatives`). */
  readonly names: ResourceNames["derivatives"];
  /** The `environment` dimension of the function's metrics. */
  readonly environment: string;
  readonly aws: AwsContext;
  /** The image bucket, read (never written) by the function. */
  readonly imageBucketArn: string;
  /** Customer managed key of the image bucket, if any; also the derivatives bucket's. */
  readonly bucketKmsKeyArn?: string;
  readonly tableArn: string;
  readonly tableName: string;
  /** The pipeline key: queues, table and log group. */
  readonly kmsKeyArn: string;
  /** Where the alarms go. */
  readonly topicArn: string;
  readonly forceDestroy: boolean;
  readonly logRetentionDays: number;
  readonly maxImagePixels: number;
  readonly lambdaErrorsThreshold: number;
  readonly rolePermissionsBoundaryArn?: string;
  /**
   * Folder holding the bundled function with its linux-arm64 `node_modules` (sharp and libvips).
   * @default the bundle shipped with this package (`build/image-derivatives`)
   */
  readonly codeDir?: string;
}

/**
 * Opt-in renditions of every processed image: an encrypted queue the processor sends a request
 * to per processed image, with its dead-letter queue; the derivatives function (arm64, sharp and
 * libvips) that consumes it in batches; and the private derivatives bucket it writes to. The
 * bucket has no notification, so nothing it holds can trigger any function.
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
  /** The processor's grant to send requests, once {@link allowRequestsFrom} made it. */
  requestsPolicy?: IamRolePolicy;
  /** The queue's ARN from its name, which the plan knows on create (its `arn` only after apply): for the policies that name it. */
  private readonly queueArnFromName: string;

  constructor(scope: Construct, id: string, props: DerivativesProps) {
    super(scope, id);
    const { names, settings, aws } = props;

    // Its own scope, so its resources read Derivatives_Store_Bucket, Derivatives_Store_Policy, ...
    const storeScope = new Construct(this, "Store");
    const store = privateBucket(storeScope, {
      name: names.bucket(aws.accountId),
      forceDestroy: props.forceDestroy,
      tags: { Purpose: "ImageDerivatives" },
      encryption: encryptionRule(props.bucketKmsKeyArn),
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
        { id: "AbortIncompleteMultipartUploads", status: "Enabled", filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }] },
      ],
      dependsOn: [store.versioning],
    });

    this.deadLetterQueue = new DeadLetterQueue(this, "DeadLetterQueue", { queueName: names.deadLetterQueue, kmsKeyArn: props.kmsKeyArn, aws });
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
    this.role = executionRole(this, { name: names.role, functionName, permissionsBoundary: props.rolePermissionsBoundaryArn, aws });
    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: names.logGroup,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.policyStatements = derivativesPolicyStatements(
      { ...props, bucketArn: this.bucket.arn, queueArn: this.queue.arn },
      this.logGroup.arn,
    );
    const policy = new IamRolePolicy(this, "Policy", {
      name: names.rolePolicy,
      role: this.role.id,
      policy: policyJson(this.policyStatements),
    });
    const policies = [policy];
    const bucketKey = props.bucketKmsKeyArn;
    if (bucketKey !== undefined && Token.isUnresolved(bucketKey)) policies.push(this.useBucketKeyWhenGiven(aws, bucketKey, names.rolePolicy));

    const code = new CodeArchive(this, "Code", { sourceDir: props.codeDir ?? packagedCodeDir("image-derivatives"), fileName: "image-derivatives.zip" });
    this.function = new LambdaFunction(this, "Function", {
      functionName,
      description: "Makes the renditions of processed images (sharp and libvips)",
      role: this.role.arn,
      runtime: PROCESSOR_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: `\${path.module}/${code.path}`,
      sourceCodeHash: code.base64Sha256,
      memorySize: settings.memorySize,
      timeout: settings.timeoutSeconds,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      environment: {
        variables: {
          [DERIVATIVES_ENV.table]: props.tableName,
          [DERIVATIVES_ENV.bucket]: this.bucket.bucket,
          [DERIVATIVES_ENV.environment]: props.environment,
          [DERIVATIVES_ENV.renditions]: renditionsVariable(props.renditions),
          [DERIVATIVES_ENV.maxSourceBytes]: asText(settings.maxSourceBytes),
          [DERIVATIVES_ENV.maxImagePixels]: asText(props.maxImagePixels),
          [DERIVATIVES_ENV.serviceName]: DERIVATIVES_TELEMETRY.serviceName,
          [DERIVATIVES_ENV.metricsNamespace]: DERIVATIVES_TELEMETRY.metricsNamespace,
          NODE_OPTIONS: "--enable-source-maps",
        },
      },
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

    const fn = { FunctionName: this.function.functionName };
    this.alarms = {
      errors: metricAlarm(this, "ErrorsAlarm", {
        name: names.alarms.errors,
        description: "The derivatives function failed invocations; their requests return to the queue, then its dead-letter queue",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        statistic: "Sum",
        dimensions: fn,
        threshold: props.lambdaErrorsThreshold,
      }, props.topicArn),
      deadLetters: metricAlarm(this, "DeadLettersAlarm", {
        name: names.alarms.deadLetters,
        description: "Derivatives requests failed on every delivery and wait in the derivatives dead-letter queue; move them back with SQS's dead-letter redrive once the cause is fixed",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        dimensions: { QueueName: this.deadLetterQueue.queue.name },
        threshold: 0,
      }, props.topicArn),
      queueAge: metricAlarm(this, "QueueAgeAlarm", {
        name: names.alarms.queueAge,
        description: "The oldest derivatives request has waited too long: the function is failing, throttled or falling behind",
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        statistic: "Maximum",
        dimensions: { QueueName: this.queue.name },
        threshold: settings.queueAgeAlarmSeconds,
      }, props.topicArn),
    };
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

  /** The bucket key's grant when it is a Terraform reference that may be null (a module variable). */
  private useBucketKeyWhenGiven(aws: AwsContext, bucketKmsKeyArn: string, policyName: string): IamRolePolicy {
    const count = Token.asNumber(Fn.conditional(Op.eq(bucketKmsKeyArn, Token.nullValue()), 0, 1));
    return new IamRolePolicy(this, "BucketKeyPolicy", {
      name: `${policyName}-bucket-key`,
      role: this.role.id,
      policy: policyJson([useBucketKey(aws, bucketKmsKeyArn)]),
      count,
    });
  }
}

/** `formatlist("<bucket arn>/%s/*", [for r in <renditions> : r.name])`, for renditions known at plan time only. */
function renditionPrefixesOf(renditions: readonly Rendition[], bucketArn: string): string[] {
  const each = TerraformIterator.fromList(renditions as unknown as string[]);
  // The ARN as an argument, not inside the format: a reference in a string given to a function is an escape sequence to cdktf.
  return Token.asList(Fn.formatlist("%s/%s/*", [bucketArn, each.pluckProperty("name")]));
}

/** The renditions as the function's variable: JSON with every default written out, so the plan shows them. */
function renditionsVariable(renditions: readonly Rendition[]): string {
  return Token.isUnresolved(renditions) ? Fn.jsonencode(renditions) : JSON.stringify(resolveRenditions(renditions));
}

/** Both buckets share the image bucket's key: read images and write renditions through S3. */
const useBucketKey = (aws: AwsContext, bucketKmsKeyArn: string): PolicyStatement => ({
  sid: "UseBucketKeyThroughS3",
  effect: "Allow",
  actions: ["kms:Decrypt", "kms:GenerateDataKey"],
  resources: [bucketKmsKeyArn],
  condition: [viaServices(aws, "s3")],
});

/**
 * The derivatives function's permissions, each statement one need of its code
 * (functions/image-derivatives/adapters). Exported for the least-privilege tests.
 */
export function derivativesPolicyStatements(
  props: Pick<DerivativesProps, "aws" | "imageBucketArn" | "tableArn" | "kmsKeyArn" | "bucketKmsKeyArn" | "renditions"> & {
    bucketArn: string;
    queueArn: string;
  },
  logGroupArn: string,
): PolicyStatement[] {
  const renditionPrefixes = Token.isUnresolved(props.renditions)
    ? // Known at plan time only (a module variable): the same list as a Terraform expression.
      renditionPrefixesOf(props.renditions, props.bucketArn)
    : props.renditions.map((r) => `${props.bucketArn}/${r.name}/*`);
  const statements: PolicyStatement[] = [
    ...readImages(props.imageBucketArn),
    {
      // Only under the configured renditions' prefixes; no read, no version deletion (the lifecycle
      // expires replaced and deleted renditions), nothing in the image bucket. DeleteObject for the
      // renditions of a deleted image, asked for only where deletions propagate.
      sid: "WriteRenditions",
      effect: "Allow",
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: renditionPrefixes,
    },
    {
      // GetItem to see what is recorded; UpdateItem (conditional on the version) adds the renditions.
      sid: "ReadAndRecordDerivatives",
      effect: "Allow",
      actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      resources: [props.tableArn],
    },
    {
      sid: "ConsumeDerivativesRequests",
      effect: "Allow",
      actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      resources: [props.queueArn],
    },
    {
      sid: "UsePipelineKeyThroughItsServices",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [props.kmsKeyArn],
      condition: [viaServices(props.aws, "dynamodb", "sqs")],
    },
    ...logsAndTraces(logGroupArn),
  ];
  if (props.bucketKmsKeyArn !== undefined && !Token.isUnresolved(props.bucketKmsKeyArn)) statements.push(useBucketKey(props.aws, props.bucketKmsKeyArn));
  return statements;
}
