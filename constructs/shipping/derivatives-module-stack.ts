import type { Construct } from "constructs";
import { Aspects, Fn, TerraformLocal, TerraformOutput, type TerraformResource, TerraformVariable, Token, ref } from "cdktf";
import type { Rendition } from "../../functions/image-derivatives/environment";
import { AwsContext } from "../support/aws-context";
import { Derivatives } from "../parts/derivatives";
import { resourceNames } from "../naming/names";
import { AWS_PROVIDER_REQUIREMENT, MODULE_TERRAFORM_VERSION } from "./provider-requirements";
import { ReadableAddressesStack } from "./readable-addresses-stack";
import { TagResources } from "../support/tag-resources";
import { alarmArnsUnder } from "../naming/alarm-arns";
import { placeInVpc } from "../parts/vpc-placement";
import { decideAtPlanTime } from "../support/plan-time";
import { MODULE_SETTINGS, type ModuleSetting } from "../config/settings-catalog";
import type { DerivativesSettings } from "../config/derivatives-settings";

/** The Terraform type of one rendition; optional attributes take the construct's defaults. */
export const RENDITION_TYPE =
  'object({ name = string, width = optional(number), height = optional(number), fit = optional(string, "inside"), format = optional(string, "webp"), quality = optional(number) })';

/** The catalog's settings the parent passes on to the child module, each as a child input of the same value. */
export type DerivativesModuleSetting = Extract<ModuleSetting, { derivativesInput: string }>;
export const DERIVATIVES_MODULE_SETTINGS = MODULE_SETTINGS.filter((s): s is DerivativesModuleSetting => "derivativesInput" in s);

/** The child module's inputs, all set by the parent module (constructs/shipping/module-stack.ts), which validates them. */
export const INPUTS = {
  // The settings' inputs have their variable's type, but for the renditions: the child's object type fills in their defaults.
  ...(Object.fromEntries(
    DERIVATIVES_MODULE_SETTINGS.map((s) => [s.derivativesInput, s.type === "renditions" ? `list(${RENDITION_TYPE})` : s.type]),
  ) as { readonly [S in DerivativesModuleSetting as S["derivativesInput"]]: string }),
  name_prefix_with_hyphen: "string",
  instance_name: "string",
  image_bucket_arn: "string",
  bucket_kms_key_arn: "string",
  renditions_kms_key_arn: "string",
  table_arn: "string",
  table_name: "string",
  kms_key_arn: "string",
  alarm_actions: "list(string)",
  lambda_errors_threshold: "number",
  processor_role_name: "string",
  processor_requests_policy_name: "string",
  access_logging: "bool",
  access_log_bucket: "string",
} as const;

/** Inputs that may be null (an optional key or boundary the caller did not give). */
const NULLABLE = new Set<keyof typeof INPUTS>([
  "bucket_kms_key_arn",
  "renditions_kms_key_arn",
  "role_permissions_boundary_arn",
  "access_log_bucket",
]);

export type DerivativesModuleInputs = Record<keyof typeof INPUTS, unknown>;

/** What the parent reads of the child module (and the module's own tests: bucket_encryption_key_arn). */
export const DERIVATIVES_MODULE_OUTPUTS = [
  "queue_url",
  "dead_letter_queue_url",
  "bucket_name",
  "bucket_arn",
  "function_name",
  "function_arn",
  "log_group_name",
  "alarm_arns",
  "queue_arn",
  "dead_letter_queue_arn",
  "role_arn",
  "bucket_encryption_key_arn",
] as const;

/**
 * The derivatives part as a Terraform child module (`modules/derivatives` of the packaged module),
 * so the parent can create all of it, or none of it, with one `count`: a module's resources cannot
 * be counted one by one without every reference between them changing shape.
 *
 * @example
 * ```ts
 * // The module's child module (dist/terraform-module/modules/derivatives), synthesized beside it:
 * new DerivativesModuleStack(app, "derivatives-module");
 * ```
 */
export class DerivativesModuleStack extends ReadableAddressesStack {
  readonly derivatives: Derivatives;

  constructor(scope: Construct, id: string) {
    super(scope, id, []);
    const v = Object.fromEntries(
      Object.entries(INPUTS).map(([name, type]) => [
        name,
        new TerraformVariable(this, name, {
          type,
          description: `Set by the parent module (${name}).`,
          // Required all the same: the parent always passes them, null included.
          nullable: NULLABLE.has(name as keyof typeof INPUTS),
        }),
      ]),
    ) as Record<keyof typeof INPUTS, TerraformVariable>;
    const number = (name: keyof typeof INPUTS) => v[name].numberValue;
    const text = (name: keyof typeof INPUTS) => v[name].stringValue;

    // The parent's switches, passed down: the bucket key's grant and the VPC placement are counted by them.
    decideAtPlanTime(this, {
      // The image bucket's log bucket, which the derivatives bucket logs to, is made with the image bucket.
      createBucket: Token.asAny(v.access_logging.booleanValue) as unknown as boolean,
      bucketKmsKey: Token.asAny(v.use_bucket_kms_key.booleanValue) as unknown as boolean,
      vpc: Token.asAny(new TerraformLocal(this, "vpc_placed", `\${length(var.vpc_subnet_ids) > 0}`).asBoolean) as unknown as boolean,
    });
    const names = resourceNames(text("environment"), text("name_prefix_with_hyphen")).derivatives;
    this.derivatives = new Derivatives(this, "Derivatives", {
      renditions: Token.asAny(v.renditions.value) as unknown as readonly Rendition[],
      // Each derivativesSettings.<field> of the catalog, from its input.
      settings: Object.fromEntries(
        DERIVATIVES_MODULE_SETTINGS.flatMap((s) =>
          "prop" in s && s.prop.startsWith("derivativesSettings.") ? [[s.prop.split(".")[1], number(s.derivativesInput)]] : [],
        ),
      ) as unknown as Required<DerivativesSettings>,
      names,
      environment: text("instance_name"),
      aws: new AwsContext(this, "Aws"),
      imageBucketArn: text("image_bucket_arn"),
      bucketKmsKeyArn: text("bucket_kms_key_arn"),
      renditionsKmsKeyArn: text("renditions_kms_key_arn"),
      tableArn: text("table_arn"),
      tableName: text("table_name"),
      kmsKeyArn: text("kms_key_arn"),
      alarmActions: v.alarm_actions.listValue,
      forceDestroy: Token.asAny(v.force_destroy.booleanValue) as unknown as boolean,
      logRetentionDays: number("log_retention_days"),
      maxImagePixels: number("max_image_pixels"),
      lambdaErrorsThreshold: number("lambda_errors_threshold"),
      rolePermissionsBoundaryArn: text("role_permissions_boundary_arn"),
      tracing: Token.asAny(v.tracing.booleanValue) as unknown as boolean,
      rolePolicyArns: v.role_policy_arns.listValue,
      accessLogs: { targetBucket: text("access_log_bucket") },
    });
    const vpc = { subnetIds: v.vpc_subnet_ids.listValue, securityGroupIds: v.vpc_security_group_ids.listValue };
    placeInVpc(this.derivatives, this.derivatives.function, this.derivatives.role, names.rolePolicy, vpc);
    this.derivatives.allowRequestsFrom(
      { name: text("processor_role_name"), id: text("processor_role_name") },
      text("processor_requests_policy_name"),
    );

    const outputs: Record<(typeof DERIVATIVES_MODULE_OUTPUTS)[number], unknown> = {
      queue_url: this.derivatives.queue.url,
      dead_letter_queue_url: this.derivatives.deadLetterQueue.queue.url,
      bucket_name: this.derivatives.bucket.bucket,
      bucket_arn: this.derivatives.bucket.arn,
      function_name: this.derivatives.function.functionName,
      function_arn: this.derivatives.function.arn,
      log_group_name: this.derivatives.logGroup.name,
      alarm_arns: alarmArnsUnder(this.derivatives),
      queue_arn: this.derivatives.queue.arn,
      dead_letter_queue_arn: this.derivatives.deadLetterQueue.queue.arn,
      role_arn: this.derivatives.role.arn,
      bucket_encryption_key_arn: renditionsKeyInUse(this.derivatives),
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value }).overrideLogicalId(name);
    Aspects.of(this).add(new TagResources(Token.asAny(v.tags.value) as unknown as Record<string, string>));
    this.addOverride("terraform.required_providers", { aws: AWS_PROVIDER_REQUIREMENT });
    this.addOverride("terraform.required_version", MODULE_TERRAFORM_VERSION);
  }
}

/**
 * The key the derivatives bucket's encryption configuration names (null: SSE-S3), as the plan has it:
 * what the module's tests check is the pipeline's, never the image bucket owner's.
 */
function renditionsKeyInUse(derivatives: Derivatives): string {
  const encryption = derivatives.node.findChild("Store").node.findChild("Encryption") as TerraformResource;
  // `rule` is a set: a splat, then its one element.
  return Token.asString(Fn.one(ref(`${encryption.fqn}.rule[*].apply_server_side_encryption_by_default[0].kms_master_key_id`)));
}

// Written `try(module.<name>[0].<output>, …)` rather than as a splat: Terraform's plan JSON lists a
// splat's reference as the bare `module.<name>`, while an index lists the output itself, so a plan
// reader (`image-pipeline diagram --plan`, a reviewer's own tools) can follow the value to what makes it.

/** `try(module.<name>[0].<output>, "")`: the child module's output, or "" when it is counted out. */
export const childOutput = (moduleName: string, output: (typeof DERIVATIVES_MODULE_OUTPUTS)[number]) =>
  `\${try(module.${moduleName}[0].${output}, "")}`;

/** `try(module.<name>[0].<output>, null)`: the child module's output, or null when it is counted out. */
export const childOutputOrNull = (moduleName: string, output: (typeof DERIVATIVES_MODULE_OUTPUTS)[number]) =>
  `\${try(module.${moduleName}[0].${output}, null)}`;
