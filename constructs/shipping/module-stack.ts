import type { Construct } from "constructs";
import { Fn, Op, TerraformHclModule, TerraformLocal, TerraformOutput, TerraformVariable, Token, ref } from "cdktf";
import { type DerivativesModuleInputs, childOutput, childOutputOrNull } from "./derivatives-module-stack";
import { ImageProcessingPipeline } from "../image-processing-pipeline";
import { MODULE_VARIABLES } from "./module-variables";
import { PIPELINE_OUTPUTS, addPipelineOutputs } from "../interface/pipeline-outputs";
import type { ImageProcessingPipelineProps } from "../config/pipeline-props";
import { AWS_PROVIDER_REQUIREMENT, MODULE_TERRAFORM_VERSION } from "./provider-requirements";
import { ReadableAddressesStack } from "./readable-addresses-stack";
import { PIPELINE_ID } from "../interface/terraform-address";
import { decideAtPlanTime } from "../support/plan-time";
import { tableArnFromName } from "../parts/metadata-table";

/** Where the packaged module keeps the derivatives child module (scripts/package-module.mjs puts it there). */
export const DERIVATIVES_MODULE_SOURCE = "./modules/derivatives";

/** An optional variable whose default is null (cdktf's TerraformVariable cannot write a null default itself). */
function withNullDefault(variable: TerraformVariable, nullDefault: boolean): TerraformVariable {
  if (nullDefault) variable.addOverride("default", null);
  return variable;
}

/** Provider requirements of the module; the caller configures the providers. */
export const MODULE_REQUIRED_PROVIDERS = { aws: AWS_PROVIDER_REQUIREMENT };

/**
 * The pipeline as a self-contained Terraform child module: variables in, snake_case outputs
 * out (PIPELINE_OUTPUTS maps them to the stacks' names), no backend and no provider configuration (the caller's providers
 * are inherited, so the module works with count, for_each and depends_on).
 *
 * @example
 * ```ts
 * // What `npm run synth` writes to dist/terraform-module (scripts/package-module.mjs):
 * const app = new App({ outdir: "module.out" });
 * new ImageProcessingModuleStack(app, "terraform-module");
 * app.synth();
 * ```
 */
export class ImageProcessingModuleStack extends ReadableAddressesStack {
  readonly pipeline: ImageProcessingPipeline;

  constructor(scope: Construct, id: string) {
    super(scope, id, [PIPELINE_ID]);
    const vars = Object.fromEntries(
      MODULE_VARIABLES.map((spec) => [
        spec.name,
        withNullDefault(
          new TerraformVariable(this, spec.name, {
            type: spec.type,
            description: spec.description,
            default: spec.default ?? undefined,
            nullable: spec.default === null,
            validation:
              spec.validation &&
              [spec.validation].flat().map((rule) => ({ condition: `\${${rule.condition}}`, errorMessage: rule.message })),
          }),
          spec.default === null,
        ),
      ]),
    );
    const number = (name: string) => vars[name].numberValue;
    const bool = (name: string) => Token.asAny(vars[name].booleanValue) as unknown as boolean;
    // Null is none: it leaves the argument unset.
    const orNull = (name: string) => vars[name].stringValue;

    const props: ImageProcessingPipelineProps = {
      environment: vars.environment.stringValue,
      namePrefix: vars.name_prefix.stringValue,
      tags: Token.asAny(vars.tags.value) as unknown as Record<string, string>,
      notificationEmail: vars.notification_email.stringValue,
      emailEveryNotice: bool("email_every_notice"),
      propagateDeletions: bool("propagate_deletions"),
      batchOperations: bool("batch_operations"),
      tracing: bool("tracing"),
      rolePolicyArns: vars.role_policy_arns.listValue,
      alarmActions: vars.alarm_actions.listValue,
      subscriptions: Token.asAny(vars.subscriptions.value) as unknown as ImageProcessingPipelineProps["subscriptions"],
      existingKmsKeyArn: orNull("existing_kms_key_arn"),
      vpc: { subnetIds: vars.vpc_subnet_ids.listValue, securityGroupIds: vars.vpc_security_group_ids.listValue },
      alarmThresholds: {
        lambdaErrors: number("alarm_lambda_errors"),
        lambdaThrottles: number("alarm_lambda_throttles"),
        dynamoWriteThrottles: number("alarm_dynamo_write_throttles"),
        durationShareOfTimeout: number("alarm_duration_share_of_timeout"),
      },
      eventDelivery: vars.event_delivery.stringValue as ImageProcessingPipelineProps["eventDelivery"],
      eventQueue: {
        maximumConcurrency: number("event_queue_maximum_concurrency"),
        batchSize: number("event_queue_batch_size"),
        maxReceiveCount: number("event_queue_max_receive_count"),
        queueAgeAlarmSeconds: number("event_queue_age_alarm_seconds"),
      },
      memorySize: number("memory_size"),
      timeoutSeconds: number("timeout_seconds"),
      reservedConcurrency: number("reserved_concurrency"),
      logRetentionDays: number("log_retention_days"),
      noncurrentVersionExpirationDays: number("noncurrent_version_expiration_days"),
      abortIncompleteMultipartUploadDays: number("abort_incomplete_multipart_upload_days"),
      // A reusable module is for shared environments: access logging is always on.
      accessLogging: true,
      accessLogRetentionDays: number("access_log_retention_days"),
      forceDestroy: bool("force_destroy"),
      deletionProtection: bool("deletion_protection"),
      maxRetryAttempts: number("max_retry_attempts"),
      maxEventAgeSeconds: number("max_event_age_seconds"),
      deadLetterRetentionDays: number("dead_letter_retention_days"),
      readWindowBytes: number("read_window_bytes"),
      maxReadGets: number("max_read_gets"),
      maxReadBytes: number("max_read_bytes"),
      formats: vars.formats.listValue as unknown as ImageProcessingPipelineProps["formats"],
      recordGpsCoordinates: bool("record_gps_coordinates"),
      maxImagePixels: number("max_image_pixels"),
      notifyOnSuccess: bool("notify_on_success"),
      bucketKmsKeyArn: orNull("bucket_kms_key_arn"),
      rolePermissionsBoundaryArn: orNull("role_permissions_boundary_arn"),
    };
    // What the plan decides, each by a switch the caller sets beside the value it goes with (as
    // terraform-aws-modules do): never by a value, which a reference to the caller's resource makes
    // known only after apply, and Terraform cannot count on that.
    decideAtPlanTime(this, {
      eventBridge: Token.asAny(Op.eq(props.eventDelivery, "eventbridge")) as unknown as boolean,
      batchOperations: bool("batch_operations"),
      createBucket: bool("create_bucket"),
      // Not a prop, which would be given: the bucket the module uses when create_bucket is false.
      existingBucket: { name: orNull("existing_bucket_name"), kmsKeyArn: orNull("existing_bucket_kms_key_arn") },
      createKmsKey: bool("create_kms_key"),
      bucketKmsKey: bool("use_bucket_kms_key"),
      // An address, not a resource's attribute: whether it is null, the plan knows.
      emailSubscription: Token.asAny(Op.neq(vars.notification_email.stringValue, Token.nullValue())) as unknown as boolean,
      // A list's length is known even when its elements are references.
      vpc: Token.asAny(new TerraformLocal(this, "vpc_placed", `\${length(var.vpc_subnet_ids) > 0}`).asBoolean) as unknown as boolean,
      // The derivatives part is a child module, all or nothing by one count (derivatives-module-stack.ts).
      derivatives: {
        queueUrl: childOutput(DERIVATIVES_MODULE, "queue_url"),
        enabled: Token.asAny(
          new TerraformLocal(this, "derivatives_enabled", `\${length(var.derivatives) > 0}`).asBoolean,
        ) as unknown as boolean,
      },
    });
    this.pipeline = new ImageProcessingPipeline(this, PIPELINE_ID, props);
    addPipelineOutputs(this, this.pipeline, "module");
    this.addDerivativesModule(vars, props);
    // The derivatives' alarms are the child module's.
    const alarms = this.node.findChild("alarm_arns") as TerraformOutput;
    alarms.value = Fn.merge([alarms.value, Fn.try([ref(`module.${DERIVATIVES_MODULE}[0].alarm_arns`), {}])]);

    this.addOverride("terraform.required_providers", MODULE_REQUIRED_PROVIDERS);
    this.addOverride("terraform.required_version", MODULE_TERRAFORM_VERSION);
  }

  /** The derivatives child module, counted in only with renditions, and its outputs (null without). */
  private addDerivativesModule(vars: Record<string, TerraformVariable>, props: ImageProcessingPipelineProps): void {
    const { pipeline } = this;
    const variable = (name: string) => vars[name].value;
    const inputs: DerivativesModuleInputs = {
      environment: variable("environment"),
      // The pipeline's own rule (image-processing-pipeline.ts): "<prefix>-", or nothing.
      name_prefix_with_hyphen: '${var.name_prefix == "" ? "" : format("%s-", var.name_prefix)}',
      instance_name: pipeline.instanceName,
      renditions: variable("derivatives"),
      memory_size: variable("derivatives_memory_size"),
      timeout_seconds: variable("derivatives_timeout_seconds"),
      max_source_bytes: variable("derivatives_max_source_bytes"),
      batch_size: variable("derivatives_batch_size"),
      max_receive_count: variable("derivatives_max_receive_count"),
      noncurrent_version_expiration_days: variable("derivatives_noncurrent_version_expiration_days"),
      queue_age_alarm_seconds: variable("derivatives_queue_age_alarm_seconds"),
      maximum_concurrency: variable("derivatives_maximum_concurrency"),
      image_bucket_arn: pipeline.imageBucket.arn,
      bucket_kms_key_arn: pipeline.imageBucket.kmsKeyArn,
      use_bucket_kms_key: variable("use_bucket_kms_key"),
      table_arn: tableArnFromName(pipeline.aws, pipeline.table.table.name),
      table_name: pipeline.table.table.name,
      kms_key_arn: pipeline.kmsKeyArn,
      alarm_actions: pipeline.alarmActions,
      force_destroy: variable("force_destroy"),
      log_retention_days: variable("log_retention_days"),
      max_image_pixels: variable("max_image_pixels"),
      lambda_errors_threshold: pipeline.config.alarmThresholds.lambdaErrors,
      role_permissions_boundary_arn: props.rolePermissionsBoundaryArn,
      processor_role_name: pipeline.processor.role.name,
      processor_requests_policy_name: `${pipeline.names.rolePolicy}-derivatives`,
      tags: variable("tags"),
      tracing: variable("tracing"),
      role_policy_arns: variable("role_policy_arns"),
      vpc_subnet_ids: variable("vpc_subnet_ids"),
      vpc_security_group_ids: variable("vpc_security_group_ids"),
      // The image bucket's log bucket (none with existing_bucket_name): the derivatives bucket logs there too.
      access_logging: pipeline.store?.accessLogs ? variable("create_bucket") : false,
      access_log_bucket: pipeline.store?.accessLogs?.delivery.targetBucket ?? null,
    };
    const child = new TerraformHclModule(this, "DerivativesModule", {
      source: DERIVATIVES_MODULE_SOURCE,
      skipAssetCreationFromLocalModules: true,
      variables: inputs,
    });
    child.overrideLogicalId(DERIVATIVES_MODULE);
    child.addOverride("count", "${local.derivatives_enabled ? 1 : 0}");
    const outputs = {
      derivatives_bucket_name: "bucket_name",
      derivatives_queue_url: "queue_url",
      derivatives_dead_letter_queue_url: "dead_letter_queue_url",
      derivatives_function_name: "function_name",
      derivatives_function_arn: "function_arn",
      derivatives_bucket_arn: "bucket_arn",
      derivatives_log_group_name: "log_group_name",
      derivatives_queue_arn: "queue_arn",
      derivatives_dead_letter_queue_arn: "dead_letter_queue_arn",
      derivatives_role_arn: "role_arn",
    } as const;
    for (const [name, output] of Object.entries(outputs)) {
      const description = PIPELINE_OUTPUTS.find((o) => o.moduleName === name)!.description;
      new TerraformOutput(this, name, {
        value: childOutputOrNull(DERIVATIVES_MODULE, output),
        description: `${description}; null without`,
      }).overrideLogicalId(name);
    }
  }
}

/** The derivatives child module's name in the module (`module.derivatives`). */
const DERIVATIVES_MODULE = "derivatives";
