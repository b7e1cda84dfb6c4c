import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { Fn, Op, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { DERIVATIVES_QUEUE_ENV } from "../functions/image-derivatives/environment";
import { ENV, ImageFormat, TELEMETRY } from "../functions/image-processor/environment";
import { AwsContext } from "./aws-context";
import { CodeArchive } from "./code-archive";
import { DEFAULTS } from "./defaults";
import { PolicyStatement, policyJson, service } from "./policy-document";
import { RULES, formatProblems, known, patternProblems, rangeProblems, retentionProblems, show, throwIfInvalid } from "./rules";
import { asText } from "./tokens";

/** The Lambda runtime of the processor; the test suites run on the same Node major. */
export const PROCESSOR_RUNTIME = "nodejs22.x";

/** How the processor runs and what it accepts. Every field is optional. */
export interface ProcessorSettings {
  /**
   * Lambda memory in MB (128 to 10240). The processor reads bounded windows of each image,
   * so its memory use does not grow with the image size.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Lambda timeout in seconds (1 to 900).
   * @default 30
   */
  readonly timeoutSeconds?: number;
  /**
   * Reserved concurrent executions of the processor (0 to 1000); caps the load it
   * can put on the table and the account's concurrency pool.
   * @default no reservation (uses the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * Retention of the processor's log group in days; one of CloudWatch Logs' allowed values.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * How many times Lambda retries a failed asynchronous invocation (0 to 2) before the
   * event goes to the dead-letter queue.
   * @default 2
   */
  readonly maxRetryAttempts?: number;
  /**
   * Maximum age in seconds of an event waiting for (re)delivery (60 to 21600) before it
   * goes to the dead-letter queue.
   * @default 3600
   */
  readonly maxEventAgeSeconds?: number;
  /**
   * Bytes of each image the processor reads per ranged GET (1024 to 1048576).
   * @default 65536
   */
  readonly readWindowBytes?: number;
  /**
   * Most ranged GETs the processor makes for one image (1 to 100), the first window included.
   * Enough to follow a JPEG's segments past 1 MB of leading ICC, XMP and EXIF data.
   * @default 24
   */
  readonly maxReadGets?: number;
  /**
   * Most bytes the processor reads of one image (1024 to 16777216, at least `readWindowBytes`).
   * @default 262144 (256 KiB)
   */
  readonly maxReadBytes?: number;
  /**
   * Image formats processed: keys ending in one of their suffixes (`.jpg`, `.jpeg`, `.png`,
   * `.webp`, `.gif`, `.avif`, `.heic`, `.heif`, `.tif`, `.tiff`), in any letter case, are
   * inspected, and any other content is rejected by its bytes. Allowed: jpeg, png, webp, gif,
   * avif, heic, tiff.
   * @default ["jpeg", "png"] (the source design's)
   */
  readonly formats?: readonly ImageFormat[];
  /**
   * Store the GPS coordinates of photos that have them (`GpsLatitude`, `GpsLongitude`).
   * Coordinates are personal data: without this only `HasGps` is recorded.
   * @default false
   */
  readonly recordGpsCoordinates?: boolean;
  /**
   * Largest accepted image in pixels (width × height); larger images are rejected.
   * @default 268402689 (16383 × 16383)
   */
  readonly maxImagePixels?: number;
  /**
   * Also publish a notification for every successfully processed image.
   * @default false (only rejected, missing and failed images are notified)
   */
  readonly notifyOnSuccess?: boolean;
  /**
   * ARN of an IAM policy set as the permissions boundary of the processor's role,
   * for accounts whose guardrails require one.
   * @default no permissions boundary
   */
  readonly rolePermissionsBoundaryArn?: string;
  /**
   * Folder holding the bundled processor (`index.js`); zipped at synth into the stack's assets.
   * @default the bundle shipped with this package (`build/image-processor`)
   */
  readonly processorCodeDir?: string;
}

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
  /** The metadata table the processor writes. */
  readonly tableArn: string;
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
   * Customer managed key of the image bucket; the processor may decrypt through S3 with it. A
   * Terraform reference that is null at plan time means none.
   * @default none (SSE-S3)
   */
  readonly bucketKmsKeyArn?: string;
  /**
   * Account, region and partition to build ARNs from.
   * @default a new {@link AwsContext} in this construct
   */
  readonly aws?: AwsContext;
}

/** The processor's settings with defaults applied, and the problems of the invalid ones (field and allowed values). */
export function resolveProcessorSettings(props: ProcessorSettings) {
  const settings = {
    memorySize: props.memorySize ?? DEFAULTS.memorySize,
    timeoutSeconds: props.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
    reservedConcurrency: props.reservedConcurrency,
    maxRetryAttempts: props.maxRetryAttempts ?? DEFAULTS.maxRetryAttempts,
    maxEventAgeSeconds: props.maxEventAgeSeconds ?? DEFAULTS.maxEventAgeSeconds,
    readWindowBytes: props.readWindowBytes ?? DEFAULTS.readWindowBytes,
    maxReadGets: props.maxReadGets ?? DEFAULTS.maxReadGets,
    maxReadBytes: props.maxReadBytes ?? DEFAULTS.maxReadBytes,
    maxImagePixels: props.maxImagePixels ?? DEFAULTS.maxImagePixels,
  };
  const logRetentionDays = props.logRetentionDays ?? DEFAULTS.logRetentionDays;
  const formats = props.formats ?? DEFAULTS.formats;
  const problems = [
    ...rangeProblems(settings),
    ...retentionProblems(logRetentionDays),
    ...formatProblems(formats),
    ...patternProblems("rolePermissionsBoundaryArn", props.rolePermissionsBoundaryArn, RULES.policyArn),
  ];
  if (known(settings.readWindowBytes) && known(settings.maxReadBytes) && settings.maxReadBytes < settings.readWindowBytes) {
    problems.push(`maxReadBytes must be at least readWindowBytes (${settings.readWindowBytes}); got ${show(settings.maxReadBytes)}`);
  }
  return {
    problems,
    settings: {
      ...settings,
      logRetentionDays,
      formats,
      recordGpsCoordinates: props.recordGpsCoordinates ?? DEFAULTS.recordGpsCoordinates,
      notifyOnSuccess: props.notifyOnSuccess ?? DEFAULTS.notifyOnSuccess,
      rolePermissionsBoundaryArn: props.rolePermissionsBoundaryArn,
      processorCodeDir: props.processorCodeDir,
    },
  };
}

/**
 * Where a bundled function lives in this package (built by `npm run build:function`), found
 * from the package root so it resolves the same from the sources, the compiled library and a
 * consumer's node_modules.
 */
export function packagedCodeDir(name: "image-processor" | "image-derivatives"): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}: cannot find the ${name} bundle`);
    dir = parent;
  }
  return path.join(dir, "build", name);
}

/** Where the bundled processor lives in this package. */
export const defaultProcessorCodeDir = (): string => packagedCodeDir("image-processor");

/**
 * The image processor: its role and least-privilege policy, log group, code archive,
 * function, the permission that lets the image bucket invoke it, and its asynchronous
 * invocation settings (bounded retries, then the dead-letter queue).
 */
export class ProcessorFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The bucket's permission to invoke the function; the bucket notification must wait for it. */
  readonly invokePermission: LambdaPermission;
  /** The statements of the role's inline policy, for consumers that review or extend it. */
  readonly policyStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    super(scope, id);
    const aws = props.aws ?? new AwsContext(this, "Aws");
    const { settings: config, problems } = resolveProcessorSettings(props);
    throwIfInvalid(problems);
    const { functionName } = props;

    this.role = executionRole(this, { name: props.roleName ?? functionName, functionName, permissionsBoundary: props.rolePermissionsBoundaryArn, aws });

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: config.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    const policyName = props.policyName ?? `${functionName}-policy`;
    const knownBucketKey = props.bucketKmsKeyArn !== undefined && !Token.isUnresolved(props.bucketKmsKeyArn);
    this.policyStatements = [
      ...processorPolicyStatements({ ...props, aws }, this.logGroup.arn),
      ...(knownBucketKey ? [decryptImages(aws, props.bucketKmsKeyArn!)] : []),
    ];
    const policy = new IamRolePolicy(this, "Policy", {
      name: policyName,
      role: this.role.id,
      policy: policyJson(this.policyStatements),
    });
    const policies = [policy];
    if (props.bucketKmsKeyArn !== undefined && !knownBucketKey) {
      policies.push(this.decryptImagesWhenKeyGiven(aws, props.bucketKmsKeyArn, policyName));
    }

    const code = new CodeArchive(this, "Code", {
      sourceDir: props.processorCodeDir ?? defaultProcessorCodeDir(),
      fileName: "image-processor.zip",
    });

    this.function = new LambdaFunction(this, "Function", {
      functionName,
      description: "Validates uploaded images by their bytes and records their metadata",
      role: this.role.arn,
      runtime: PROCESSOR_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      filename: `\${path.module}/${code.path}`,
      sourceCodeHash: code.base64Sha256,
      memorySize: config.memorySize,
      timeout: config.timeoutSeconds,
      reservedConcurrentExecutions: config.reservedConcurrency,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      environment: {
        variables: {
          [ENV.table]: props.tableName,
          [ENV.topicArn]: props.topicArn,
          [ENV.environment]: props.environment,
          [ENV.readWindowBytes]: asText(config.readWindowBytes),
          [ENV.maxImagePixels]: asText(config.maxImagePixels),
          [ENV.maxReadGets]: asText(config.maxReadGets),
          [ENV.maxReadBytes]: asText(config.maxReadBytes),
          [ENV.formats]: Token.isUnresolved(config.formats) ? Fn.join(",", config.formats as string[]) : config.formats.join(","),
          [ENV.recordGpsCoordinates]: asText(config.recordGpsCoordinates),
          [ENV.notifyOnSuccess]: asText(config.notifyOnSuccess),
          [ENV.serviceName]: TELEMETRY.serviceName,
          [ENV.metricsNamespace]: TELEMETRY.metricsNamespace,
          ...(props.derivativesQueueUrl === undefined ? {} : { [DERIVATIVES_QUEUE_ENV]: props.derivativesQueueUrl }),
          NODE_OPTIONS: "--enable-source-maps",
        },
      },
      // The log group must exist (with its retention and key) before Lambda would create
      // one without them, and the role must be able to write logs on the first invocation.
      dependsOn: [this.logGroup, ...policies],
    });

    this.invokePermission = new LambdaPermission(this, "AllowImageBucket", {
      statementId: "AllowInvokeFromImageBucket",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "s3.amazonaws.com",
      sourceArn: props.bucketArn,
      // Bucket names are global: without the account, a bucket of the same name in another
      // account could invoke the function after this one is deleted.
      sourceAccount: aws.accountId,
    });

    new LambdaFunctionEventInvokeConfig(this, "AsyncInvokeConfig", {
      functionName: this.function.functionName,
      maximumRetryAttempts: config.maxRetryAttempts,
      maximumEventAgeInSeconds: config.maxEventAgeSeconds,
      destinationConfig: { onFailure: { destination: props.deadLetterQueueArn } },
      // Lambda checks that the role may send to the destination when the config is created.
      dependsOn: [policy],
    });
  }

  /**
   * The bucket key's grant when the key is a Terraform reference (a module variable) that may
   * be null: a policy of its own, counted 0 or 1, since a statement cannot name a null resource.
   */
  private decryptImagesWhenKeyGiven(aws: AwsContext, bucketKmsKeyArn: string, policyName: string): IamRolePolicy {
    const count = Fn.conditional(Op.eq(bucketKmsKeyArn, Token.nullValue()), 0, 1);
    return new IamRolePolicy(this, "DecryptImagesPolicy", {
      name: `${policyName}-decrypt-images`,
      role: this.role.id,
      policy: policyJson([decryptImages(aws, bucketKmsKeyArn)]),
      count: Token.asNumber(count),
    });
  }
}

/** S3 may decrypt images with the bucket's key on the processor's behalf. */
const decryptImages = (aws: AwsContext, bucketKmsKeyArn: string): PolicyStatement => ({
  sid: "DecryptImages",
  effect: "Allow",
  actions: ["kms:Decrypt"],
  resources: [bucketKmsKeyArn],
  condition: [viaServices(aws, "s3")],
});

/** Reading image versions, as both functions do. */
export const readImages = (bucketArn: string): PolicyStatement[] => [
  {
    // HeadObject and GetObject of the current version or of a given one.
    sid: "ReadImageVersions",
    effect: "Allow",
    actions: ["s3:GetObject", "s3:GetObjectVersion"],
    resources: [`${bucketArn}/*`],
  },
  {
    // Without ListBucket S3 answers 403 instead of 404 for a deleted object, and a function
    // could not tell "missing" (final) from "denied" (a fault).
    sid: "TellMissingImagesFromDenied",
    effect: "Allow",
    actions: ["s3:ListBucket"],
    resources: [bucketArn],
  },
];

/** Every function of the pipeline writes its own log group and X-Ray traces. */
export const logsAndTraces = (logGroupArn: string): PolicyStatement[] => [
  {
    sid: "WriteOwnLogs",
    effect: "Allow",
    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
    resources: [`${logGroupArn}:*`],
  },
  {
    // X-Ray has no resource-level permissions for these actions.
    sid: "WriteTraces",
    effect: "Allow",
    actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    resources: ["*"],
  },
];

/** Use of a key only through the given services, in this region. */
export const viaServices = (aws: AwsContext, ...services: string[]) => ({
  test: "StringEquals",
  variable: "kms:ViaService",
  values: services.map((name) => `${name}.${aws.region}.amazonaws.com`),
});

/** A Lambda execution role that only Lambda, for this account, may assume. */
export function executionRole(
  scope: Construct,
  props: { name: string; functionName: string; permissionsBoundary?: string; aws: AwsContext },
): IamRole {
  const trust = policyJson([
    {
      sid: "LambdaAssumesRoleForThisAccountOnly",
      effect: "Allow",
      principals: service("lambda.amazonaws.com"),
      actions: ["sts:AssumeRole"],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.aws.accountId] }],
    },
  ]);
  return new IamRole(scope, "Role", {
    name: props.name,
    description: `Execution role of ${props.functionName}`,
    assumeRolePolicy: trust,
    permissionsBoundary: props.permissionsBoundary,
  });
}

/**
 * The processor's permissions, each statement one need of the code (see the adapters in
 * functions/image-processor/adapters). Exported so the least-privilege tests can read them.
 */
export function processorPolicyStatements(
  props: Omit<ProcessorFunctionProps, "aws"> & { aws: AwsContext },
  logGroupArn: string,
): PolicyStatement[] {
  const { aws } = props;
  const statements: PolicyStatement[] = [
    // No PutObject: a function that writes to the bucket that triggers it can invoke itself without end.
    ...readImages(props.bucketArn),
    // A module variable is known at plan time only: the grant is there, used only when deletions come.
    ...(props.propagateDeletions === false
      ? []
      : [
          {
            // A delete marker names itself, not the version it hides: the key's versions tell which.
            sid: "FindDeletedImageVersions",
            effect: "Allow" as const,
            actions: ["s3:ListBucketVersions"],
            resources: [props.bucketArn],
          },
        ]),
    {
      // Conditional PutItem of the item; UpdateItem clears its pending-notification mark, rewrites a
      // reprocessed item's facts and marks a deleted image's item.
      // No GetItem, Query, Scan or DeleteItem: the processor never reads or deletes items.
      sid: "RecordMetadata",
      effect: "Allow",
      actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
      resources: [props.tableArn],
    },
    {
      sid: "PublishNotifications",
      effect: "Allow",
      actions: ["sns:Publish"],
      resources: [props.topicArn],
    },
    {
      // Used by Lambda on the function's behalf to deliver failed events.
      sid: "SendFailedEventsToDeadLetterQueue",
      effect: "Allow",
      actions: ["sqs:SendMessage"],
      resources: [props.deadLetterQueueArn],
    },
    ...logsAndTraces(logGroupArn),
  ];
  if (props.kmsKeyArn !== undefined) {
    statements.push({
      sid: "UsePipelineKeyThroughItsServices",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [props.kmsKeyArn],
      condition: [viaServices(aws, "dynamodb", "sns", "sqs")],
    });
  }
  return statements;
}
