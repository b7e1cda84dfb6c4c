// The deploy test's shorter jobs (a validate, a plan, a consumption from git), run while the deploy
// cycles run, so the suite's time is the cycles' alone. Each returns what its test asserts.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Context, compareTrees, packageModuleInto, prepareJob } from "./deploy-cycle";
import { terraform } from "./terraform";

/** `terraform validate` of examples/basic against the packaged module. */
export async function validateBasicExample(ctx: Context): Promise<any> {
  const basic = {
    name: "examples-basic",
    kind: "module" as const,
    rootDir: join("examples", "basic"),
    vars: [],
    instances: 1,
    withDerivatives: [],
    withEventBridge: [],
  };
  const dir = join(prepareJob(basic, ctx, "validate"), basic.rootDir);
  await terraform(dir, ctx.env, ["init", "-no-color", "-backend=false"]);
  return JSON.parse((await terraform(dir, ctx.env, ["validate", "-json", "-no-color"], [0, 1])).stdout);
}

/** The planned resource changes of a root with the module twice: `keyed` (bucket_kms_key_arn and tags) and `plain`. */
export async function planModuleInputs(ctx: Context, key: string): Promise<any[]> {
  const job = join(ctx.work, "module-inputs");
  const dir = join(job, "root");
  mkdirSync(dir, { recursive: true });
  packageModuleInto(job);
  writeFileSync(
    join(dir, "main.tf.json"),
    JSON.stringify({
      provider: { aws: { region: ctx.region } },
      module: {
        keyed: {
          source: "../dist/terraform-module",
          environment: "kms",
          // The switch beside the key: what the plan counts the decrypt grant by.
          use_bucket_kms_key: true,
          bucket_kms_key_arn: key,
          tags: { Team: "media" },
          notification_email: "ops@example.com",
        },
        plain: { source: "../dist/terraform-module", environment: "plain", allow_unsubscribed_notifications: true },
      },
    }),
  );
  await terraform(dir, ctx.env, ["init", "-no-color", "-backend=false"]);
  await terraform(dir, ctx.env, ["plan", "-no-color", "-input=false", "-out=inputs.tfplan"]);
  return JSON.parse((await terraform(dir, ctx.env, ["show", "-json", "inputs.tfplan"])).stdout).resource_changes;
}

/**
 * A root outside the repository taking the release from git:: at its tag, with no node on the
 * PATH: init, validate, plan, and the checked-out tree, file by file, against the archive's
 * module, which the release target applies, tests with `terraform test`, processes an image
 * with and destroys: the same bytes, so applying them again here would prove nothing more.
 */
export async function consumeFromGit(ctx: Context, version: string) {
  const dir = mkdtempSync(join(ctx.work, "git-consumer-"));
  const repository = join(ctx.work, "release", "git");
  writeFileSync(
    join(dir, "main.tf"),
    [
      'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7.0" }\n  }\n}',
      `provider "aws" {\n  region = ${JSON.stringify(ctx.region)}\n}`,
      `module "image_processing" {\n  source              = "git::file://${repository}?ref=v${version}"\n  environment         = "gitsource"\n  data_protection     = false\n}`,
      'output "bucket" {\n  value = module.image_processing.s3_bucket_name\n}',
      "",
    ].join("\n\n"),
  );
  const env = ctx.release!.env;
  await terraform(dir, env, ["init", "-no-color", "-input=false"]);
  const validation = JSON.parse((await terraform(dir, env, ["validate", "-json", "-no-color"], [0, 1])).stdout);
  const downloaded = join(dir, ".terraform", "modules", "image_processing");
  await terraform(dir, env, ["plan", "-no-color", "-input=false", "-out=git.tfplan"]);
  const plan = JSON.parse((await terraform(dir, env, ["show", "-json", "git.tfplan"])).stdout);
  const { files: checkedOut, differing } = compareTrees(downloaded, ctx.release!.moduleDir);
  return { env, downloaded, validation, plan, checkedOut, differing };
}
