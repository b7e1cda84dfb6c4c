// The released module is HCL rendered from the JSON cdktf synthesizes (scripts/hcl/); this proves
// the two are the same module. Five configurations, each a module call in one root: the root
// calling the HCL module and the same root calling the JSON module are planned side by side
// against moto, and every planned resource and value (planned_values, and each change's after
// and after_unknown) must be identical.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { terraform, terraformEnvironment, warmPluginCache, writeCliConfig } from "./terraform";

const ROOT = join(__dirname, "..", "..");
const REGION = "us-east-1";
const RENDITIONS = [
  { name: "thumbnail", width: 320, height: 320, fit: "cover", quality: 75 },
  { name: "large", width: 1920, format: "webp" },
];

/** The root's own resources, which the configurations pass to the module by reference. */
const TEAM_RESOURCES = {
  aws_kms_key: { team: { description: "the team's key" }, uploads: { description: "the uploads bucket's key" } },
  aws_s3_bucket: { uploads: { bucket: "team-hcl-uploads" } },
  aws_sns_topic: { on_call: { name: "team-hcl-on-call" } },
  aws_sqs_queue: { notices: { name: "team-hcl-notices" } },
  aws_vpc: { network: { cidr_block: "10.1.0.0/16" } },
  aws_subnet: {
    a: { vpc_id: "${aws_vpc.network.id}", cidr_block: "10.1.1.0/24" },
    b: { vpc_id: "${aws_vpc.network.id}", cidr_block: "10.1.2.0/24" },
  },
  aws_security_group: { functions: { name: "team-hcl-functions", description: "HTTPS out", vpc_id: "${aws_vpc.network.id}" } },
};

/** The five configurations, by module call name. */
const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  defaults: { environment: "defaults", notification_email: "ops@example.com" },
  derivatives: { environment: "derivatives", notification_email: "ops@example.com", derivatives: RENDITIONS, batch_operations: true },
  eventbridge_existing_bucket_own_key: {
    environment: "eventbridge",
    allow_unsubscribed_notifications: true,
    event_delivery: "eventbridge",
    create_bucket: false,
    existing_bucket_name: "${aws_s3_bucket.uploads.bucket}",
    use_bucket_kms_key: true,
    existing_bucket_kms_key_arn: "${aws_kms_key.uploads.arn}",
    create_kms_key: false,
    existing_kms_key_arn: "${aws_kms_key.team.arn}",
    derivatives: RENDITIONS,
  },
  vpc_alarm_actions_subscriptions: {
    environment: "vpc",
    alarm_actions: ["${aws_sns_topic.on_call.arn}"],
    subscriptions: { notices: { protocol: "sqs", endpoint: "${aws_sqs_queue.notices.arn}" } },
    vpc_subnet_ids: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"],
    vpc_security_group_ids: ["${aws_security_group.functions.id}"],
    tags: { team: "images" },
    derivatives: RENDITIONS,
  },
  two_instances: {
    for_each: '${toset(["blue", "green"])}',
    environment: "${each.key}",
    name_prefix: "pair",
    force_destroy: true,
    data_protection: false,
  },
};

/** A root calling the module at `source` once per configuration. */
const root = (source: string) => ({
  provider: { aws: { region: REGION } },
  resource: TEAM_RESOURCES,
  module: Object.fromEntries(Object.entries(CONFIGURATIONS).map(([name, inputs]) => [name, { source, ...inputs }])),
});

/** The module calls' part of a plan: each resource change's address, actions, after and after_unknown; and the planned values. */
function planned(plan: any) {
  const changes = (plan.resource_changes ?? [])
    .filter((c: any) => String(c.address).startsWith("module."))
    .map((c: any) => ({
      address: c.address,
      actions: c.change.actions,
      after: c.change.after,
      after_unknown: c.change.after_unknown,
    }));
  return { changes, values: plan.planned_values.root_module.child_modules };
}

describe("the HCL module plans exactly as the JSON module it is rendered from", () => {
  const endpoint = process.env.MOTO_ENDPOINT!;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const plans: Record<string, ReturnType<typeof planned>> = {};
  beforeAll(async () => {
    if (!endpoint) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:deploy`");
    work = mkdtempSync(join(tmpdir(), "image-processing-hcl-module-"));
    env = terraformEnvironment(endpoint, writeCliConfig(work), REGION);
    await warmPluginCache(join(work, "plugin-cache-warm-up"), env);
    // Each form in a folder of its own, the root beside the module at the same relative path, so
    // the paths the plans hold (the function's zip) are the same too.
    for (const [form, flags] of [
      ["hcl", []],
      ["json", ["--json"]],
    ] as const) {
      const packaged = spawnSync(
        process.execPath,
        [join(ROOT, "scripts", "package-module.mjs"), "--out", join(work, form, "module"), ...flags],
        { cwd: ROOT, encoding: "utf8" },
      );
      if (packaged.status !== 0) throw new Error(packaged.stderr);
      mkdirSync(join(work, form, "root"));
      writeFileSync(join(work, form, "root", "main.tf.json"), JSON.stringify(root("../module"), null, 2));
    }
    // Both roots at once: init, plan -out, show -json.
    await Promise.all(
      ["hcl", "json"].map(async (form) => {
        const dir = join(work, form, "root");
        await terraform(dir, env, ["init", "-no-color", "-input=false"]);
        await terraform(dir, env, ["plan", "-no-color", "-input=false", "-out=root.tfplan"]);
        plans[form] = planned(JSON.parse((await terraform(dir, env, ["show", "-json", "root.tfplan"])).stdout));
      }),
    );
    const count = (name: string) =>
      plans.hcl.changes.filter((c: any) => c.address.startsWith(`module.${name}.`) || c.address.startsWith(`module.${name}[`)).length;
    console.log(
      `planned through HCL and JSON: ${Object.keys(CONFIGURATIONS)
        .map((name) => `${name} ${count(name)} resources`)
        .join(", ")}`,
    );
  }, 900_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(Object.keys(CONFIGURATIONS))("%s: every planned resource and value is the same", (name) => {
    const of = (form: string) => ({
      changes: plans[form].changes.filter((c: any) => c.address.startsWith(`module.${name}.`) || c.address.startsWith(`module.${name}[`)),
      values: plans[form].values.filter((m: any) => m.address === `module.${name}` || m.address.startsWith(`module.${name}[`)),
    });
    const [hcl, json] = [of("hcl"), of("json")];

    expect(hcl.changes.length).toBeGreaterThanOrEqual(40);
    expect(hcl.changes.map((c: any) => c.address)).toEqual(json.changes.map((c: any) => c.address));
    for (const [i, change] of hcl.changes.entries()) expect(change).toEqual(json.changes[i]);
    expect(hcl.values).toEqual(json.values);
  });
});
