import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { ENV, TELEMETRY } from "../functions/image-processor/environment";
import { AwsContext } from "./aws-context";
import { CodeArchive } from "./code-archive";
import { ResolvedPipelineConfig } from "./config";
import { resourceNames } from "./names";
import { PolicyStatement, policyDocument, service } from "./policy-document";
import { asText } from "./tokens";

export interface ProcessorFunctionProps {
  readonly config: ResolvedPipelineConfig;
  readonly aws: AwsContext;
  readonly bucketArn: string;
  readonly tableArn: string;
  readonly tableName: string;
  readonly topicArn: string;
  readonly deadLetterQueueArn: string;
  /** The pipeline's customer managed key (table, topic, queue, logs). */
  readonly kmsKeyArn: string;
}

/**
 * Where the bundled processor lives in this package (built by `npm run build:function`),
 * found from the package root so it resolves the same from the sources, the compiled
 * library and a consumer's node_modules.
 */
export function defaultProcessorCodeDir(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}: cannot find the processor bundle`);
    dir = parent;
  }
  return path.join(dir, "build", "image-processor");
}

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
    const { config, aws } = props;
    const names = resourceNames(config.environment);

    const trust = policyDocument(this, "TrustPolicy", [
      {
        sid: "LambdaAssumesRoleForThisAccountOnly",
        effect: "Allow",
        principals: service("lambda.amazonaws.com"),
        actions: ["sts:AssumeRole"],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] }],
      },
    ]);
    this.role = new IamRole(this, "Role", {
      name: names.role,
      description: `Execution role of ${names.function}`,
      assumeRolePolicy: trust.json,
      permissionsBoundary: config.rolePermissionsBoundaryArn,
    });

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: names.logGroup,
      retentionInDays: config.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.policyStatements = processorPolicyStatements(props, this.logGroup.arn);
    const policy = new IamRolePolicy(this, "Policy", {
      name: `ImageProcessorPolicy-${config.environment}`,
      role: this.role.id,
      policy: policyDocument(this, "PolicyDocument", [...this.policyStatements]).json,
    });

    const code = new CodeArchive(this, "Code", {
      sourceDir: config.processorCodeDir ?? defaultProcessorCodeDir(),
      fileName: "image-processor.zip",
    });

    this.function = new LambdaFunction(this, "Function", {
      functionName: names.function,
      description: "Validates uploaded images by their bytes and records their metadata",
      role: this.role.arn,
      runtime: "nodejs22.x",
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
          [ENV.environment]: config.environment,
          [ENV.readWindowBytes]: asText(config.readWindowBytes),
          [ENV.maxImagePixels]: asText(config.maxImagePixels),
          [ENV.maxReadGets]: asText(config.maxReadGets),
          [ENV.maxReadBytes]: asText(config.maxReadBytes),
          [ENV.formats]: Token.isUnresolved(config.formats) ? Fn.join(",", config.formats as string[]) : config.formats.join(","),
          [ENV.recordGpsCoordinates]: asText(config.recordGpsCoordinates),
          [ENV.notifyOnSuccess]: asText(config.notifyOnSuccess),
          [ENV.serviceName]: TELEMETRY.serviceName,
          [ENV.metricsNamespace]: TELEMETRY.metricsNamespace,
          NODE_OPTIONS: "--enable-source-maps",
        },
      },
      // The log group must exist (with its retention and key) before Lambda would create
      // one without them, and the role must be able to write logs on the first invocation.
      dependsOn: [this.logGroup, policy],
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
}

/**
 * The processor's permissions, each statement one need of the code (see the adapters in
 * functions/image-processor/adapters). Exported so the least-privilege tests can read them.
 */
export function processorPolicyStatements(props: ProcessorFunctionProps, logGroupArn: string): PolicyStatement[] {
  const { aws, config } = props;
  const via = (...services: string[]) => ({
    test: "StringEquals",
    variable: "kms:ViaService",
    values: services.map((name) => `${name}.${aws.region}.amazonaws.com`),
  });
  const statements: PolicyStatement[] = [
    {
      // HeadObject and ranged GetObject of a given version. No PutObject: a function that
      // writes to the bucket that triggers it can invoke itself without end.
      sid: "ReadImageVersions",
      effect: "Allow",
      actions: ["s3:GetObject", "s3:GetObjectVersion"],
      resources: [`${props.bucketArn}/*`],
    },
    {
      // Without ListBucket S3 answers 403 instead of 404 for a deleted object, and the
      // processor could not tell "missing" (final) from "denied" (a fault).
      sid: "TellMissingImagesFromDenied",
      effect: "Allow",
      actions: ["s3:ListBucket"],
      resources: [props.bucketArn],
    },
    {
      // Conditional PutItem of the item; UpdateItem clears its pending-notification mark.
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
    {
      sid: "UsePipelineKeyThroughItsServices",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [props.kmsKeyArn],
      condition: [via("dynamodb", "sns", "sqs")],
    },
  ];
  if (config.bucketKmsKeyArn) {
    statements.push({
      sid: "DecryptImages",
      effect: "Allow",
      actions: ["kms:Decrypt"],
      resources: [config.bucketKmsKeyArn],
      condition: [via("s3")],
    });
  }
  return statements;
}
