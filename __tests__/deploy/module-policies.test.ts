// Every policy of the packaged module in the plan on create, under real Terraform against moto: a
// root calling the module (derivatives and EventBridge delivery on, so every role policy is there),
// with the module's own key and with a key the caller gives, each with and without `depends_on` on
// the module block. Only what AWS assigns at creation (the new key's ARN) may stay unknown; with
// `depends_on`, Terraform defers the module's data sources (account, region, partition) to apply,
// and every policy built from them goes unknown: docs/module.md says not to put it on the module.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageModuleInto } from "./deploy-cycle";
import { policiesOnCreate, terraform, terraformEnvironment, warmPluginCache, writeCliConfig } from "./terraform";

const REGION = "us-east-1";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The role policies that name the module's new key (statement UsePipelineKeyThroughItsServices): unknown until AWS assigns its id. */
const NAMING_THE_NEW_KEY = [
  "module.images.aws_iam_role_policy.processor.policy",
  "module.images.module.derivatives[0].aws_iam_role_policy.derivatives.policy",
];

/** A root with the module (and a queue of the caller's that `depends_on` may name). */
function root(inputs: Record<string, unknown>, dependsOn: boolean) {
  return {
    provider: { aws: { region: REGION } },
    resource: { aws_sqs_queue: { team: { name: "team-module-policies" } } },
    module: {
      images: {
        source: "../dist/terraform-module",
        environment: "policies",
        allow_unsubscribed_notifications: true,
        event_delivery: "eventbridge",
        derivatives: [{ name: "thumbnail", width: 320 }],
        ...inputs,
        ...(dependsOn ? { depends_on: ["aws_sqs_queue.team"] } : {}),
      },
    },
  };
}

describe("the module's policies in the plan on create, under real Terraform", () => {
  const endpoint = process.env.MOTO_ENDPOINT!;
  let work: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:deploy`");
    work = mkdtempSync(join(tmpdir(), "image-processing-module-policies-"));
    env = terraformEnvironment(endpoint, writeCliConfig(work), REGION);
    await warmPluginCache(join(work, "plugin-cache-warm-up"), env);
    packageModuleInto(work);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The policies of a plan of the root (init, plan, show -json): which are unknown, sorted. */
  async function plan(name: string, inputs: Record<string, unknown>, dependsOn: boolean) {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(root(inputs, dependsOn)));
    await terraform(dir, env, ["init", "-no-color", "-input=false"]);
    await terraform(dir, env, ["plan", "-no-color", "-input=false", "-out=policies.tfplan"]);
    const policies = policiesOnCreate(JSON.parse((await terraform(dir, env, ["show", "-json", "policies.tfplan"])).stdout));
    return { name, unknown: [...policies.unknown].sort(), known: policies.known };
  }

  it("knows every policy on create but the two role policies that name the module's new key; with a key given, every one; `depends_on` on the module block defers them", async () => {
    // Arrange, Act: the four roots side by side.
    const given = { create_kms_key: false, existing_kms_key_arn: KEY };
    const [ownKey, givenKey, ownKeyDependsOn, givenKeyDependsOn] = await Promise.all([
      plan("own-key", {}, false),
      plan("given-key", given, false),
      plan("own-key-depends-on", {}, true),
      plan("given-key-depends-on", given, true),
    ]);
    console.log(
      `unknown policies on create:\n${[ownKey, givenKey, ownKeyDependsOn, givenKeyDependsOn].map((p) => `${p.name}: ${p.unknown.length} unknown, ${p.known.length} known\n  ${p.unknown.join("\n  ")}`).join("\n")}`,
    );

    // Assert: the role, bucket, queue, topic and key policies and trust policies are there and known.
    expect(ownKey.unknown).toEqual(NAMING_THE_NEW_KEY);
    expect(givenKey.unknown).toEqual([]);
    const known = (p: typeof givenKey) => new Set(p.known.map((k) => k.address.replace(/\[\d+\]$/, "")));
    for (const address of [
      "module.images.aws_iam_role_policy.processor",
      "module.images.module.derivatives[0].aws_iam_role_policy.derivatives",
      "module.images.aws_s3_bucket_policy.images",
      "module.images.aws_sqs_queue_policy.dead_letter",
      "module.images.aws_sns_topic_policy.notifications",
    ])
      expect(known(givenKey)).toContain(address);
    expect(known(ownKey)).toContain("module.images.aws_kms_key.pipeline");
    expect(givenKey.known.length).toBeGreaterThanOrEqual(15);
    // With depends_on the data sources wait for apply: every policy built from the account, region or partition goes unknown.
    expect(ownKeyDependsOn.unknown.length).toBeGreaterThan(ownKey.unknown.length + 5);
    expect(givenKeyDependsOn.unknown).toEqual(expect.arrayContaining(["module.images.aws_s3_bucket_policy.images[0].policy"]));
  });
});
