import { Construct } from "constructs";
import { Fn, type TerraformResource, Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { DERIVATIVES_QUEUE_ENV } from "../../functions/shared/derivative-request";
import { ENV, TELEMETRY } from "../../functions/image-processor/environment";
import { AwsContext } from "../support/aws-context";
import { CodeArchive } from "../support/code-archive";
import type { Counted } from "../support/counted";
import { defaultProcessorCodeDir } from "../support/code-dir";
import { sharedFunctionConfig } from "./function-config";
import { attachPolicies, executionRole } from "./function-statements";
import { type PolicyStatement, policyJson } from "../support/policy-document";
import { resolveProcessorSettings } from "../config/processor-settings";
import { throwIfInvalid } from "../config/rules";
import { planTimeSwitches } from "../support/plan-time";
import { settingsEnvironment } from "./settings-environment";
import type { ProcessorFunctionProps } from "./processor-function-props";
import { decryptImages, processorPolicyStatements } from "./processor-policy";

export { PROCESSOR_RUNTIME } from "./function-config";
export type { ProcessorFunctionProps };

/**
 * The image processor: its role and least-privilege policy, log group, code archive,
 * function, the permission that lets the image bucket invoke it, and its asynchronous
 * invocation settings (bounded retries, then the dead-letter queue).
 *
 * @example
 * ```ts
 * // The pipeline wires it to its bucket, table, topic and dead-letter queue; on parts of your own:
 * new ProcessorFunction(stack, "Processor", {
 *   functionName: "ImageProcessor-dev",
 *   environment: "dev",
 *   bucketArn: store.bucket.arn,
 *   tableArn: table.table.arn,
 *   tableName: table.table.name,
 *   topicArn: topic.topic.arn,
 *   deadLetterQueueArn: failed.queue.arn,
 * });
 * ```
 */
export class ProcessorFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The bucket's permission to invoke the function, where the bucket does; the bucket notification must wait for it. */
  readonly invokePermission?: LambdaPermission;
  /** The statements of the role's inline policy, for consumers that review or extend it. */
  readonly policyStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    super(scope, id);
    const aws = props.aws ?? new AwsContext(this, "Aws");
    const { settings: config, problems } = resolveProcessorSettings(props);
    throwIfInvalid(problems);
    const { functionName } = props;

    this.role = executionRole(this, {
      name: props.roleName ?? functionName,
      functionName,
      permissionsBoundary: props.rolePermissionsBoundaryArn,
    });

    this.logGroup = new CloudwatchLogGroup(this, "LogGroup", {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: config.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    const policyName = props.policyName ?? `${functionName}-policy`;
    // Granted when given; in the module, in a policy of its own counted by its switch.
    const bucketKeyGiven = planTimeSwitches(this).bucketKmsKey;
    const grantedHere = props.bucketKmsKeyArn !== undefined && bucketKeyGiven === undefined;
    this.policyStatements = [
      ...processorPolicyStatements({ ...props, aws }, this.logGroup.name),
      ...(grantedHere ? [decryptImages(aws, props.bucketKmsKeyArn!)] : []),
    ];
    const policy = new IamRolePolicy(this, "Policy", {
      name: policyName,
      role: this.role.id,
      policy: policyJson(this.policyStatements),
    });
    const policies: TerraformResource[] = [policy];
    const attached = attachPolicies(this, this.role, config.rolePolicyArns);
    if (attached) policies.push(attached);
    if (props.bucketKmsKeyArn !== undefined && bucketKeyGiven !== undefined) {
      policies.push(this.decryptImagesWhenKeyGiven(aws, props.bucketKmsKeyArn, bucketKeyGiven, policyName));
    }

    const code = new CodeArchive(this, "Code", {
      sourceDir: props.processorCodeDir ?? defaultProcessorCodeDir(),
      fileName: "image-processor.zip",
    });

    this.function = new LambdaFunction(this, "Function", {
      ...sharedFunctionConfig(
        code,
        this.logGroup,
        {
          [ENV.table]: props.tableName,
          [ENV.topicArn]: props.topicArn,
          [ENV.environment]: props.environment,
          ...settingsEnvironment("processor", (prop) => config[prop as keyof typeof config]),
          [ENV.serviceName]: TELEMETRY.serviceName,
          [ENV.metricsNamespace]: TELEMETRY.metricsNamespace,
          ...(props.derivativesQueueUrl === undefined ? {} : { [DERIVATIVES_QUEUE_ENV]: props.derivativesQueueUrl }),
        },
        config.tracing,
      ),
      functionName,
      description: "Validates uploaded images by their bytes and records their metadata",
      role: this.role.arn,
      memorySize: config.memorySize,
      timeout: config.timeoutSeconds,
      reservedConcurrentExecutions: config.reservedConcurrency,
      // The log group must exist (with its retention and key) before Lambda would create
      // one without them, and the role must be able to write logs on the first invocation.
      dependsOn: [this.logGroup, ...policies],
    });

    if (props.invokedByBucket !== false) this.invokePermission = this.allowBucket(props.bucketArn, aws, props.invokePermissionCounted);

    new LambdaFunctionEventInvokeConfig(this, "AsyncInvokeConfig", {
      functionName: this.function.functionName,
      maximumRetryAttempts: config.maxRetryAttempts,
      maximumEventAgeInSeconds: config.maxEventAgeSeconds,
      destinationConfig: { onFailure: { destination: props.deadLetterQueueArn } },
      // Lambda checks that the role may send to the destination when the config is created.
      dependsOn: [policy],
    });
  }

  private allowBucket(bucketArn: string, aws: AwsContext, counted?: Counted): LambdaPermission {
    const permission = new LambdaPermission(this, "AllowImageBucket", {
      statementId: "AllowInvokeFromImageBucket",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "s3.amazonaws.com",
      // Scoped as CONDITION_CITATIONS.bucketInvokesFunction documents: bucket names are global, so without
      // the account a bucket of the same name in another account could invoke the function after this one is deleted.
      sourceArn: bucketArn,
      sourceAccount: aws.accountId,
      // When a switch to EventBridge delivery removes it, Terraform would destroy it first, and until
      // the bucket's notification is rewritten S3 could not invoke the function: its uploads lost.
      // Replaced or removed, it now goes only after what depended on it (the notification) is updated.
      lifecycle: { createBeforeDestroy: true },
    });
    counted?.countAll(permission);
    return permission;
  }

  /**
   * The bucket key's grant in the module, where the key is a variable that may be null: a policy of
   * its own, counted by the module's switch (never by the key's value, which a reference makes
   * known only after apply), since a statement cannot name a null resource.
   */
  private decryptImagesWhenKeyGiven(aws: AwsContext, bucketKmsKeyArn: string, given: boolean, policyName: string): IamRolePolicy {
    const count = Fn.conditional(given, 1, 0);
    return new IamRolePolicy(this, "DecryptImagesPolicy", {
      name: `${policyName}-decrypt-images`,
      role: this.role.id,
      policy: policyJson([decryptImages(aws, bucketKmsKeyArn)]),
      count: Token.asNumber(count),
    });
  }
}
