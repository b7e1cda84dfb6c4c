// Two pipelines of one environment in two regions of one stack of the user's own, by real Terraform
// against moto: the stack's default provider in eu-west-1 and an aliased one in us-west-2 given to the
// second pipeline as its `provider`, each pipeline with its own `namePrefix` and readable addresses.
// `terraform validate` and `terraform plan` (which reads each pipeline's account and region through
// its own provider): every resource of the second pipeline is configured on the alias, and what it
// builds from its region (the ARNs in its key's policy) names us-west-2, the first's eu-west-1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../../constructs/image-processing-pipeline";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { AWS_PROVIDER_REQUIREMENT } from "../../constructs/shipping/provider-requirements";
import { terraform, terraformEnvironment, warmPluginCache, writeCliConfig } from "./terraform";

const HOME_REGION = "eu-west-1";
const OTHER_REGION = "us-west-2";

describe("two pipelines in two regions of one stack (the provider prop)", () => {
  const endpoint = process.env.MOTO_ENDPOINT!;
  let work: string;
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("validates, and plans each pipeline in its provider's region", async () => {
    // Arrange: the team's stack, its two providers and the two pipelines.
    if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:deploy`");
    work = mkdtempSync(join(tmpdir(), "image-processing-two-regions-"));
    const app = new App({ outdir: join(work, "cdktf.out") });
    const stack = new TerraformStack(app, "team-images");
    // The bindings pin the provider they were generated from; the offline mirror has the oldest the configuration is valid for.
    stack.addOverride("terraform.required_providers.aws", AWS_PROVIDER_REQUIREMENT);
    new AwsProvider(stack, "aws", { region: HOME_REGION });
    const west = new AwsProvider(stack, "west", { region: OTHER_REGION, alias: "west" });
    const common = { environment: "dev", dataProtection: false, readableAddresses: true } as const;
    new ImageProcessingPipeline(stack, "Images", { ...common, namePrefix: "eu" });
    new ImageProcessingPipeline(stack, "ImagesWest", { ...common, namePrefix: "us", provider: west, derivatives: EXAMPLE_RENDITIONS });
    app.synth();
    const dir = join(work, "cdktf.out", "stacks", "team-images");
    const env = terraformEnvironment(endpoint, writeCliConfig(work), HOME_REGION);
    await warmPluginCache(join(work, "plugin-cache-warm-up"), env);

    // Act
    await terraform(dir, env, ["init", "-no-color", "-input=false"]);
    const validate = await terraform(dir, env, ["validate", "-no-color"]);
    await terraform(dir, env, ["plan", "-no-color", "-input=false", "-out=plan.tfplan"]);
    const plan = JSON.parse((await terraform(dir, env, ["show", "-json", "-no-color", "plan.tfplan"])).stdout);

    // Assert: valid, and every element of each pipeline on its own provider.
    expect(validate.stdout).toMatch(/Success! The configuration is valid/);
    const configured: { address: string; mode: string; provider_config_key: string }[] = plan.configuration.root_module.resources;
    const providerOf = (qualifier: RegExp) =>
      new Set(configured.filter((r) => qualifier.test(r.address.replace(/^data\./, "").split(".")[1])).map((r) => r.provider_config_key));
    expect(configured.length).toBeGreaterThan(70);
    expect(providerOf(/^images_west_/)).toEqual(new Set(["aws.west"]));
    expect(providerOf(/^images_(?!west_)/)).toEqual(new Set(["aws"]));
    expect(configured.every((r) => /^images_/.test(r.address.replace(/^data\./, "").split(".")[1]))).toBe(true);

    // Assert: each pipeline read its provider's region, and builds its ARNs from it.
    const regionRead = (name: string) =>
      plan.prior_state.values.root_module.resources.find((r: any) => r.address === `data.aws_region.${name}`)?.values.name;
    expect([regionRead("images_current"), regionRead("images_west_current")]).toEqual([HOME_REGION, OTHER_REGION]);
    // Known at plan: the key policy names the pipeline's log groups and alarms by ARN, from the region read.
    const keyPolicy = (name: string): string =>
      plan.resource_changes.find((c: any) => c.address === `aws_kms_key.${name}`).change.after.policy;
    expect(keyPolicy("images_west_pipeline")).toContain(`:${OTHER_REGION}:`);
    expect(keyPolicy("images_west_pipeline")).not.toContain(`:${HOME_REGION}:`);
    expect(keyPolicy("images_pipeline")).toContain(`:${HOME_REGION}:`);
    expect(keyPolicy("images_pipeline")).not.toContain(`:${OTHER_REGION}:`);
    const created = plan.resource_changes.filter((c: any) => c.change.actions.includes("create"));
    expect(created.filter((c: any) => c.address.includes(".images_west_")).length).toBeGreaterThan(
      created.filter((c: any) => /\.images_(?!west_)/.test(c.address)).length,
    );
  });
});
