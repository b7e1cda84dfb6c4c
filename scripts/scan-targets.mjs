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
 * Copies the configuration under `source` into `<dir>/checkov/` (where Checkov reads the target):
 * the stacks' Terraform JSON without the blocks its terraform_json parser cannot read, `moved` (a
 * list) and `terraform` (`required_version` is a string); the released module's HCL without the
 * variables' `validation` blocks, whose expressions its HCL parser fails on (and which configure
 * nothing Checkov checks).
 * Returns the copies that hold resources, as Checkov names them in its report.
 */
function configurationForCheckov(source, dir) {
  const files = readdirSync(source, { recursive: true }).filter((file) => file.endsWith(".tf.json") || file.endsWith(".tf"));
  const withResources = [];
  for (const file of files) {
    mkdirSync(dirname(join(dir, "checkov", file)), { recursive: true });
    if (file.endsWith(".tf")) {
      const text = withoutValidations(readFileSync(join(source, file), "utf8"));
      writeFileSync(join(dir, "checkov", file), text);
      if (/^resource "/m.test(text)) withResources.push(file);
    } else {
      const { moved: _moved, terraform: _terraform, ...readable } = JSON.parse(readFileSync(join(source, file), "utf8"));
      writeFileSync(join(dir, "checkov", file), JSON.stringify(readable, null, 2));
      if (readable.resource) withResources.push(file);
    }
  }
  return withResources.map((file) => `/${file.split(sep).join("/")}`);
}

/** `text` (HCL) without its `validation { … }` blocks: braces matched outside strings. */
export function withoutValidations(text) {
  let out = "";
  let at = 0;
  for (const match of text.matchAll(/^[ \t]*validation \{\n/gm)) {
    if (match.index < at) continue;
    let depth = 0;
    let inString = false;
    let end = match.index + match[0].length - 2;
    for (; end < text.length; end += 1) {
      const c = text[end];
      if (inString) {
        if (c === "\\") end += 1;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth += 1;
      else if (c === "}" && --depth === 0) break;
    }
    out += text.slice(at, match.index);
    at = text.indexOf("\n", end) + 1;
  }
  return out + text.slice(at);
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

/**
 * A folder's configuration as far as the verdict reads it (its resources, and its module calls'
 * sources): every Terraform JSON file merged (a scan root or a stack has one), and the released
 * module's HCL, whose blocks npm run synth writes one header line each with a call's source first.
 */
export function readConfig(dir) {
  const files = readdirSync(dir);
  const json = files.filter((file) => file.endsWith(".tf.json")).map((file) => JSON.parse(readFileSync(join(dir, file), "utf8")));
  const hcl = files
    .filter((file) => file.endsWith(".tf"))
    .map((file) => readFileSync(join(dir, file), "utf8"))
    .join("\n");
  const resource = {};
  for (const [, type, name] of hcl.matchAll(/^resource "([^"]+)" "([^"]+)" \{/gm)) (resource[type] ??= {})[name] = {};
  const module = {};
  for (const [, name, source] of hcl.matchAll(/^module "([^"]+)" \{\n\s+source\s+= "([^"]+)"/gm)) module[name] = { source };
  return Object.assign({}, ...(hcl ? [{ resource, module }] : []), ...json);
}
