// What `npm run scan` (scan.mjs) plans and reads: each synthesized stack, copied without its backend,
// and a scan root calling the released module once per MODULE_INSTANCES entry; and, for each, the
// configuration as Checkov's terraform_json parser can read it.
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { ROOT } from "./build.mjs";
import { MODULE_DIR } from "./package-module.mjs";

export const STACKS_DIR = join(ROOT, "cdktf.out");
export const WORK = join(ROOT, "build", "scan");
// moto's account and the stacks' region: the plans' ARNs are made of them.
export const REGION = "us-east-1";
const ACCOUNT = "123456789012";

/**
 * The module's instances the scan plans side by side (as `module.image_processing["<key>"]`, each
 * key its name_prefix): between them every resource block of the module and its derivatives part
 * is planned (the scan fails otherwise), and each policy in the shapes its options give it.
 */
const MODULE_INSTANCES = {
  // Only what the module requires: an environment (the scan gives all three one) and someone to receive the alarms.
  defaults: { notification_email: "alarms@example.com" },
  // Every option that adds resources or writes a policy. With a key of the user's: Checkov reads a
  // value Terraform knows only after apply as absent when it reaches a resource through a module
  // variable (the derivatives part's queues and log group take the key so), and fails its checks.
  options: {
    event_delivery: "eventbridge",
    batch_operations: true,
    derivatives: [{ name: "thumbnail", width: 320, height: 320 }],
    create_kms_key: false,
    existing_kms_key_arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
    use_bucket_kms_key: true,
    bucket_kms_key_arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`,
    vpc_subnet_ids: ["subnet-0123456789abcdef0"],
    vpc_security_group_ids: ["sg-0123456789abcdef0"],
    role_policy_arns: ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"],
    role_permissions_boundary_arn: `arn:aws:iam::${ACCOUNT}:policy/permissions-boundary`,
    notification_email: "alarms@example.com",
    subscriptions: { alarms: { protocol: "https", endpoint: "https://example.com/alarms" } },
    reserved_concurrency: 10,
  },
  // Another team's bucket and its key (the module creates no bucket and grants on both), with the pipeline's own key.
  existing: {
    notification_email: "alarms@example.com",
    event_delivery: "eventbridge",
    create_bucket: false,
    existing_bucket_name: "images-of-another-team",
    use_bucket_kms_key: true,
    existing_bucket_kms_key_arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`,
  },
};

/** A stack copied for planning, without its backend: the scan plans the configuration, never anyone's state. */
export function stackTarget(stack) {
  const source = join(STACKS_DIR, "stacks", stack);
  const dir = join(WORK, stack);
  cpSync(source, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
  delete config.terraform.backend;
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(config, null, 2));
  return { name: stack, dir, configuration: configurationForCheckov(source, dir) };
}

/**
 * Copies every Terraform JSON file under `source` into `<dir>/checkov/` (where Checkov reads the
 * target) without the blocks its terraform_json parser cannot read: `moved` (a list) and `terraform`
 * (`required_version` is a string). Returns the copies as Checkov names them in its report.
 */
function configurationForCheckov(source, dir) {
  const files = readdirSync(source, { recursive: true }).filter((file) => file.endsWith(".tf.json"));
  for (const file of files) {
    const { moved: _moved, terraform: _terraform, ...readable } = JSON.parse(readFileSync(join(source, file), "utf8"));
    mkdirSync(dirname(join(dir, "checkov", file)), { recursive: true });
    writeFileSync(join(dir, "checkov", file), JSON.stringify(readable, null, 2));
  }
  return files.map((file) => `/${file.split(sep).join("/")}`);
}

/** The scan root of the released module: one call per MODULE_INSTANCES entry, each unset variable left to its default. */
export function moduleTarget() {
  const dir = join(WORK, "terraform-module");
  mkdirSync(dir, { recursive: true });
  const variables = [...new Set(Object.values(MODULE_INSTANCES).flatMap(Object.keys))].sort();
  const root = {
    provider: { aws: [{ region: REGION }] },
    locals: { instances: MODULE_INSTANCES },
    module: {
      image_processing: {
        source: relative(dir, MODULE_DIR),
        for_each: "${local.instances}",
        environment: "scan",
        name_prefix: "${each.key}",
        // null is "unset": the module's variables with a default are not nullable.
        ...Object.fromEntries(variables.map((name) => [name, `\${try(each.value.${name}, null)}`])),
      },
    },
  };
  writeFileSync(join(dir, "main.tf.json"), `${JSON.stringify(root, null, 2)}\n`);
  return { name: "terraform-module", dir, configuration: configurationForCheckov(MODULE_DIR, dir) };
}

/** Every Terraform JSON file of a folder, merged (a scan root or a stack has one). */
export function readConfig(dir) {
  const files = readdirSync(dir).filter((file) => file.endsWith(".tf.json"));
  return Object.assign({}, ...files.map((file) => JSON.parse(readFileSync(join(dir, file), "utf8"))));
}
