import type { Construct } from "constructs";
import { Fn, Op, TerraformHclModule, TerraformLocal, TerraformOutput, type TerraformResource, TerraformVariable, Token, ref } from "cdktf";
import { DERIVATIVES_MODULE_SETTINGS, type DerivativesModuleInputs, childOutput, childOutputOrNull } from "./derivatives-module-stack";
import { ImageProcessingPipeline } from "../image-processing-pipeline";
import { MODULE_VARIABLES } from "./module-variables";
import { PIPELINE_OUTPUTS, addPipelineOutputs } from "./pipeline-outputs";
import type { ImageProcessingPipelineProps } from "../config/pipeline-props";
import { AWS_PROVIDER_REQUIREMENT, MODULE_TERRAFORM_VERSION } from "./provider-requirements";
import { ReadableAddressesStack } from "./readable-addresses-stack";
import { PIPELINE_ID } from "../naming/terraform-address";
import { decideAtPlanTime, planTimeSwitches } from "../support/plan-time";
import { bucketOwnership, renditionsKeyOf } from "../parts/image-bucket";
import { MODULE_SETTINGS, type ModuleSetting } from "../config/settings-catalog";
import { tableArnFromName } from "../parts/metadata-table";
import { type Validation, nobodyToAlert, v, valuesWithoutTheirSwitch } from "./module-variable-rules";

/** Where the packaged module keeps the derivatives child module (scripts/package-module.mjs puts it there). */
export const DERIVATIVES_MODULE_SOURCE = "./modules/derivatives";

/** An optional variable whose default is null (cdktf's TerraformVariable cannot write a null default itself). */
function withNullDefault(variable: TerraformVariable, nullDefault: boolean): TerraformVariable {
  if (nullDefault) variable.addOverride("default", null);
  return variable;
}

/** A variable's value as its catalog type has it: the token cdktf writes as `${var.<name>}`. */
function variableValue(variable: TerraformVariable, type: ModuleSetting["type"]): unknown {
  if (type === "number") return variable.numberValue;
  if (type === "bool") return Token.asAny(variable.booleanValue);
  if (type === "string") return variable.stringValue;
  if (type === "list(string)") return variable.listValue;
  return Token.asAny(variable.value);
}

/**
 * The props of the settings the module passes straight through, each the variable of its catalog
 * row: all but those the module stack passes itself (`passedByModule`) and the derivatives', which
 * go to the derivatives child module (addDerivativesModule).
 */
function propsFromVariables(vars: Record<string, TerraformVariable>): Record<string, unknown> {
  const props: Record<string, Record<string, unknown> | unknown> = {};
  for (const s of MODULE_SETTINGS) {
    if (!("prop" in s) || "passedByModule" in s || s.prop === "derivatives" || s.prop.startsWith("derivativesSettings.")) continue;
    const value = variableValue(vars[s.variable], s.type);
    const [prop, field] = s.prop.split(".");
    props[prop] = field === undefined ? value : { ...(props[prop] as Record<string, unknown>), [field]: value };
  }
  return props;
}

/** The value at a setting's path (`eventQueue.batchSize`) in the props, if any. */
const propAt = (props: ImageProcessingPipelineProps, path: string): unknown =>
  path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], props);

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
    const bool = (name: string) => Token.asAny(vars[name].booleanValue) as unknown as boolean;
    // Null is none: it leaves the argument unset.
    const orNull = (name: string) => vars[name].stringValue;
    // data_protection decides both unless they are given (their validations refuse lifting protection with it on).
    const unlessGiven = (local: string, name: string, fallback: string) =>
      Token.asAny(new TerraformLocal(this, local, `\${${v(name)} == null ? ${fallback} : ${v(name)}}`).asBoolean) as unknown as boolean;

    const props: ImageProcessingPipelineProps = {
      ...(propsFromVariables(vars) as unknown as ImageProcessingPipelineProps),
      // A reusable module is for shared environments: access logging is always on.
      accessLogging: true,
      forceDestroy: unlessGiven("buckets_force_destroy", "force_destroy", `!${v("data_protection")}`),
      deletionProtection: unlessGiven("table_deletion_protection", "deletion_protection", v("data_protection")),
    };
    // What the plan decides, each by a switch the caller sets beside the value it goes with (as
    // terraform-aws-modules do): never by a value, which a reference to the caller's resource makes
    // known only after apply, and Terraform cannot count on that.
    decideAtPlanTime(this, {
      eventBridge: Token.asAny(Op.eq(props.eventDelivery, "eventbridge")) as unknown as boolean,
      batchOperations: bool("batch_operations"),
      // Decides a statement in a policy, never a count: unknown until apply when the ARN is, as the policy is.
      inventoryKmsKey: Token.asAny(Op.neq(vars.inventory_kms_key_arn.stringValue, Token.nullValue())) as unknown as boolean,
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
    const precondition = (resource: TerraformResource, check: Validation) =>
      resource.addOverride("lifecycle.precondition", [{ condition: `\${${check.condition}}`, error_message: check.message }]);
    precondition(this.pipeline.notifications.topic, nobodyToAlert());
    const withoutSwitch = valuesWithoutTheirSwitch();
    precondition(this.pipeline.store!.bucket, withoutSwitch.imageBucket);
    precondition(this.pipeline.key!.key, withoutSwitch.pipelineKey);
    precondition(this.pipeline.processor.role, withoutSwitch.processorRole);
    precondition(this.pipeline.processor.function, withoutSwitch.processorFunction);
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
    // Each setting's input: the value the module gave the pipeline's prop (force_destroy's local), else its variable.
    const settings = Object.fromEntries(
      DERIVATIVES_MODULE_SETTINGS.map((s) => [
        s.derivativesInput,
        ("prop" in s ? propAt(props, s.prop) : undefined) ?? variable(s.variable),
      ]),
    );
    const inputs = {
      ...settings,
      // The pipeline's own rule (image-processing-pipeline.ts): "<prefix>-", or nothing.
      name_prefix_with_hyphen: '${var.name_prefix == "" ? "" : format("%s-", var.name_prefix)}',
      instance_name: pipeline.instanceName,
      image_bucket_arn: pipeline.imageBucket.arn,
      bucket_kms_key_arn: pipeline.imageBucket.kmsKeyArn,
      // The pipeline's key beside an existing bucket under its owner's key; else the module's bucket's key.
      renditions_kms_key_arn: renditionsKeyOf(
        bucketOwnership(planTimeSwitches(this).existingBucket, planTimeSwitches(this).createBucket),
        { bucketKmsKeyArn: props.bucketKmsKeyArn, pipelineKeyArn: pipeline.kmsKeyArn },
        planTimeSwitches(this).bucketKmsKey,
      ),
      table_arn: tableArnFromName(pipeline.aws, pipeline.table.table.name),
      table_name: pipeline.table.table.name,
      kms_key_arn: pipeline.kmsKeyArn,
      alarm_actions: pipeline.alarmActions,
      lambda_errors_threshold: pipeline.config.alarmThresholds.lambdaErrors,
      processor_role_name: pipeline.processor.role.name,
      processor_requests_policy_name: `${pipeline.names.rolePolicy}-derivatives`,
      // The image bucket's log bucket (none with existing_bucket_name): the derivatives bucket logs there too.
      access_logging: pipeline.store?.accessLogs ? variable("create_bucket") : false,
      access_log_bucket: pipeline.store?.accessLogs?.delivery.targetBucket ?? null,
    } as DerivativesModuleInputs;
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
