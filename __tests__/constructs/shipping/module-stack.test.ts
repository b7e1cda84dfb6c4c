// The module decides at plan time, and only by what its callers set to decide it: each optional part is
// counted by a switch (create_bucket, create_kms_key, use_bucket_kms_key, batch_operations,
// event_delivery), a list's length, or keys the caller writes; never by an ARN's or a name's value,
// which a reference to a resource of the caller's root makes known only after apply.
import { Testing, type TerraformStack } from "cdktf";
import { DerivativesModuleStack } from "../../../constructs/shipping/derivatives-module-stack";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";
import { MODULE_VARIABLES } from "../../../constructs/shipping/module-variables";

const synth = (stack: TerraformStack): any => JSON.parse(Testing.synth(stack));

/** Every count, for_each and dynamic block's for_each, and a child module's count, as `<address> <argument> = <expression>`. */
function decisions(tf: any): string[] {
  const of = (address: string, block: any) => [
    ...["count", "for_each"].filter((a) => block[a] !== undefined).map((a) => `${address} ${a} = ${block[a]}`),
    ...Object.entries(block.dynamic ?? {}).map(([name, d]: [string, any]) => `${address} dynamic.${name} = ${d.for_each}`),
  ];
  return [
    ...Object.entries(tf.resource as Record<string, Record<string, any>>).flatMap(([type, byName]) =>
      Object.entries(byName).flatMap(([name, block]) => of(`${type}.${name}`, block)),
    ),
    ...Object.entries(tf.module ?? {}).flatMap(([name, block]) => of(`module.${name}`, block)),
  ];
}

/** The variables and locals an expression reads. */
const reads = (expression: string): string[] => [...expression.matchAll(/\b(?:var|local)\.\w+/g)].map((m) => m[0]);

/** The values a caller may give as references: counting by any of them fails the plan. */
const VALUES = [
  "existing_bucket_name",
  "existing_bucket_kms_key_arn",
  "bucket_kms_key_arn",
  "existing_kms_key_arn",
  "role_permissions_boundary_arn",
  "inventory_kms_key_arn",
];

describe("ImageProcessingModuleStack: what the plan counts by", () => {
  const tf = synth(new ImageProcessingModuleStack(Testing.app(), "module"));
  const child = synth(new DerivativesModuleStack(Testing.app(), "derivatives"));

  it("counts every optional part by a switch, a list's length, or the keys the caller writes, and by no given value", () => {
    // Arrange
    const all = [...decisions(tf), ...decisions(child)];
    const read = new Set(all.flatMap((d) => reads(d.split(" = ")[1])));

    // Assert
    expect(all.length).toBeGreaterThan(30);
    expect([...read].sort()).toEqual(
      [
        "local.derivatives_enabled",
        "local.vpc_placed",
        "var.access_logging",
        "var.batch_operations",
        "var.create_bucket",
        "var.create_kms_key",
        "var.event_delivery",
        "var.notification_email",
        "var.role_policy_arns",
        "var.subscriptions",
        "var.use_bucket_kms_key",
      ].sort(),
    );
    for (const value of VALUES) expect(all.filter((d) => d.includes(`var.${value}`))).toEqual([]);
  });

  it("keys the subscriptions by the names the caller writes, and the policy attachments by index, never by an ARN", () => {
    const subscribers = tf.resource.aws_sns_topic_subscription.subscribers.for_each;
    const attachments = [
      tf.resource.aws_iam_role_policy_attachment.processor_extra.for_each,
      child.resource.aws_iam_role_policy_attachment.derivatives_extra.for_each,
    ];

    expect(subscribers).toBe("${{ for key, val in var.subscriptions: tostring(key) => val }}");
    // Typed any, so that an unknown attribute is refused by name (the validation) instead of dropped.
    expect(MODULE_VARIABLES.find((v) => v.name === "subscriptions")!.type).toBe("any");
    for (const each of attachments) expect(each).toMatch(/^\$\{\{ for key, val in var\.role_policy_arns: tostring\(key\) => val \}\}$/);
  });

  it("pairs each switch with its value: a validation of the switch naming both, and the value given without its switch refused at the resource the switch decides", () => {
    const validations = (name: string) => [tf.variable[name].validation].flat().map((v: any) => `${v.condition} | ${v.error_message}`);
    const preconditions = (resource: any) => resource.lifecycle.precondition.map((p: any) => `${p.condition} | ${p.error_message}`);

    expect(validations("create_bucket")[0]).toMatch(
      /var\.create_bucket \|\| var\.existing_bucket_name != null.*create_bucket.*existing_bucket_name/,
    );
    expect(validations("create_kms_key")[0]).toMatch(
      /var\.create_kms_key \|\| var\.existing_kms_key_arn != null.*create_kms_key.*existing_kms_key_arn/,
    );
    expect(validations("use_bucket_kms_key")[0]).toMatch(
      /!var\.use_bucket_kms_key \|\| .*var\.bucket_kms_key_arn.*var\.existing_bucket_kms_key_arn.*use_bucket_kms_key.*bucket_kms_key_arn.*existing_bucket_kms_key_arn/,
    );
    // Preconditions, so that Terraform shows the resource's lines (a validation of a switch the caller left out shows "line 0").
    expect(preconditions(tf.resource.aws_s3_bucket.images)).toEqual([
      expect.stringMatching(/^\$\{var\.existing_bucket_name == null\} \| Invalid existing_bucket_name: .*create_bucket = false/),
    ]);
    expect(preconditions(tf.resource.aws_kms_key.pipeline)).toEqual([
      expect.stringMatching(/^\$\{var\.existing_kms_key_arn == null\} \| Invalid existing_kms_key_arn: .*create_kms_key = false/),
    ]);
    expect(preconditions(tf.resource.aws_iam_role.processor)).toEqual([
      expect.stringMatching(/^\$\{var\.use_bucket_kms_key \|\| .* \| Invalid use_bucket_kms_key: /),
    ]);
    expect(preconditions(tf.resource.aws_lambda_function.processor)).toEqual([
      expect.stringMatching(/vpc_security_group_ids.*vpc_subnet_ids/),
    ]);
  });

  it("grants the images' key in policies of their own, counted by use_bucket_kms_key", () => {
    expect(tf.resource.aws_iam_role_policy.processor_decrypt_images.count).toBe("${var.use_bucket_kms_key ? 1 : 0}");
    expect(child.resource.aws_iam_role_policy.derivatives_bucket_key.count).toBe("${var.use_bucket_kms_key ? 1 : 0}");
    expect(tf.module.derivatives.use_bucket_kms_key).toBe("${var.use_bucket_kms_key}");
    expect(tf.resource.aws_s3_bucket_server_side_encryption_configuration.images.rule[0]).toEqual({
      apply_server_side_encryption_by_default: {
        sse_algorithm: '${var.use_bucket_kms_key ? "aws:kms" : "AES256"}',
        kms_master_key_id: "${var.bucket_kms_key_arn}",
      },
      bucket_key_enabled: "${var.use_bucket_kms_key}",
    });
  });
});
