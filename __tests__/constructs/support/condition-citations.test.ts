// Every condition key in the synthesized key, trust, resource and role policies (and the bucket's invoke permission)
// is one an entry of CONDITION_CITATIONS lists for that policy and principal, with the AWS page beside it.
import { Testing } from "cdktf";
import { CONDITION_CITATIONS, type PolicyKind, citationOf, cited } from "../../../constructs/support/condition-citations";
import { EnvironmentStack, type EnvironmentStackProps } from "../../../constructs/shipping/environment-stack";
import { BASE_PROPS, policyDocumentOf } from "../../helpers/synth";

/** The arguments that hold a key, trust or resource policy, by resource type. */
const POLICY_ARGUMENTS: Record<string, { attribute: string; policy: PolicyKind }> = {
  aws_kms_key: { attribute: "policy", policy: "key policy" },
  aws_iam_role: { attribute: "assume_role_policy", policy: "trust policy" },
  aws_s3_bucket_policy: { attribute: "policy", policy: "bucket policy" },
  aws_sqs_queue_policy: { attribute: "policy", policy: "queue policy" },
  aws_sns_topic_policy: { attribute: "policy", policy: "topic policy" },
};
/** The roles' own policies: their statements name no principal, so each is read with the service that assumes its role. */
const ROLE_POLICIES = ["aws_iam_role_policy"];

/** One condition key where a statement uses it. */
interface Use {
  readonly policy: PolicyKind;
  readonly principal: string;
  readonly key: string;
  readonly sid: string;
  readonly resource: string;
}

/** A principal as the table names it: a regional service with `<region>` for its region (a reference or a literal). */
const principalName = (identifier: string): string =>
  identifier.replace(/\$\{[^}]*\}/g, "<region>").replace(/^(\w+)\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/, "$1.<region>.amazonaws.com");

/** The condition keys of a policy's statements, one per key and principal. */
function usesOf(policy: PolicyKind, text: string, resource: string, assumedBy?: string): Use[] {
  return policyDocumentOf(text).statement.flatMap((s) => {
    const principals: string[] = assumedBy
      ? [assumedBy]
      : (s.principals ?? [{ identifiers: ["*"] }]).flatMap((p: { identifiers: string[] }) => p.identifiers);
    return (s.condition ?? []).flatMap((c: { variable: string }) =>
      principals.map((p) => ({ policy, principal: principalName(p), key: c.variable, sid: s.sid, resource })),
    );
  });
}

/** Every condition key of a synthesized pipeline, and the number of policies read. */
function pipelineUses(props: Partial<EnvironmentStackProps>): { uses: Use[]; policies: PolicyKind[]; unread: string[] } {
  const stack = new EnvironmentStack(Testing.app(), "test", { ...BASE_PROPS, ...props });
  const resources: Record<string, Record<string, any>> = JSON.parse(Testing.synth(stack)).resource;
  const uses: Use[] = [];
  const policies: PolicyKind[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, r] of Object.entries(byName)) {
      const argument = POLICY_ARGUMENTS[type];
      if (argument !== undefined) {
        uses.push(...usesOf(argument.policy, r[argument.attribute], `${type}.${name}`));
        policies.push(argument.policy);
      }
      if (ROLE_POLICIES.includes(type)) {
        const role = resources.aws_iam_role[/\baws_iam_role\.(\w+)\./.exec(r.role)![1]];
        const assumedBy = policyDocumentOf(role.assume_role_policy).statement[0].principals[0].identifiers[0];
        uses.push(...usesOf("role policy", r.policy, `${type}.${name}`, assumedBy));
        policies.push("role policy");
      }
      if (type === "aws_lambda_permission") {
        const keys = [r.source_arn && "aws:SourceArn", r.source_account && "aws:SourceAccount"].filter(Boolean);
        uses.push(
          ...keys.map((key) => ({
            policy: "invoke permission" as const,
            principal: r.principal,
            key,
            sid: r.statement_id,
            resource: `${type}.${name}`,
          })),
        );
        policies.push("invoke permission");
      }
    }
  }
  // A given key's owner adds these statements to its policy: they are a key policy too.
  uses.push(...usesOf("key policy", stack.pipeline.keyPolicyStatementsJson, "keyPolicyStatements (a given key's owner)"));
  policies.push("key policy");
  // A policy argument this test does not read: a new kind of resource policy to add above.
  const unread = Object.entries(resources)
    .filter(([type]) => POLICY_ARGUMENTS[type] === undefined && !ROLE_POLICIES.includes(type))
    .filter(([, byName]) => Object.values(byName).some((r) => "policy" in r || "assume_role_policy" in r))
    .map(([type]) => type);
  return { uses, policies, unread };
}

/** The uses no entry lists, each named by its key, statement and resource. */
const uncited = (uses: readonly Use[]): string[] =>
  uses
    .filter((u) => citationOf(u.policy, u.principal, u.key) === undefined)
    .map((u) => `${u.key} in statement ${u.sid} of ${u.resource} (${u.policy}, principal ${u.principal}) has no citation`);

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d";
const PIPELINES: Record<string, Partial<EnvironmentStackProps>> = {
  defaults: {},
  "EventBridge delivery with derivatives, Batch Operations and access logging": {
    eventDelivery: "eventbridge",
    accessLogging: true,
    derivatives: [{ name: "thumbnail", width: 320 }],
    batchOperations: true,
    inventoryKmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
  },
  "an existing bucket with its own key, and the caller's pipeline key": {
    eventDelivery: "eventbridge",
    existingBucket: { name: "acme-photos", kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
    existingKmsKeyArn: KEY,
  },
  "alarm actions": { alarmActions: ["arn:aws:sns:eu-west-1:111122223333:on-call"] },
};
const KINDS: readonly PolicyKind[] = [
  "key policy",
  "trust policy",
  "bucket policy",
  "queue policy",
  "topic policy",
  "invoke permission",
  "role policy",
];
const read = Object.entries(PIPELINES).map(([name, props]) => ({ name, ...pipelineUses(props) }));
const allUses = read.flatMap((r) => r.uses);

describe("CONDITION_CITATIONS", () => {
  it.each(read.map((r) => [r.name, r] as const))("cites every condition key of the pipeline with %s", (_, r) => {
    expect(r.unread).toEqual([]);
    expect(uncited(r.uses)).toEqual([]);
    expect(r.policies.length).toBeGreaterThanOrEqual(6);
  });

  it("read the policies of every part, each kind of policy among them, and found keys of services and of anyone", () => {
    const policies = read.flatMap((r) => r.policies);
    const count = (kind: PolicyKind) => policies.filter((p) => p === kind).length;

    // Floors, as measured: the made keys and what a given key's owner adds; every role; the image, log, derivatives
    // and jobs buckets; every queue and dead-letter queue; the topic; the bucket's leave to invoke the processor.
    const floors: Record<PolicyKind, number> = {
      "key policy": 7,
      "trust policy": 6,
      "bucket policy": 6,
      "queue policy": 10,
      "topic policy": 4,
      "invoke permission": 2,
      "role policy": 1,
    };
    expect(KINDS.filter((kind) => count(kind) < floors[kind])).toEqual([]);
    expect(allUses.length).toBeGreaterThanOrEqual(55);
    expect(new Set(allUses.map((u) => u.key)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(allUses.map((u) => u.principal)).size).toBeGreaterThanOrEqual(6);
  });

  it("lists nothing the pipelines do not use: each entry's keys appear in each of its policies", () => {
    const unused = Object.entries(CONDITION_CITATIONS).flatMap(([name, c]) =>
      c.policies.flatMap((policy) =>
        c.keys
          .filter((key) => !allUses.some((u) => u.policy === policy && u.principal === c.principal && u.key === key))
          .map((key) => `${name}: ${key} in a ${policy}`),
      ),
    );

    expect(unused).toEqual([]);
  });

  it("names a key no entry lists, with its statement and resource", () => {
    const { uses } = pipelineUses({});
    const keyPolicy = uses.find((u) => u.policy === "key policy")!;

    const added = [
      ...uses,
      { ...keyPolicy, principal: "cloudwatch.amazonaws.com", key: "aws:SourceArn", sid: "AllowCloudWatchAlarmsToPublish" },
    ];

    expect(uncited(added)).toEqual([
      `aws:SourceArn in statement AllowCloudWatchAlarmsToPublish of ${keyPolicy.resource} (key policy, principal cloudwatch.amazonaws.com) has no citation`,
    ]);
  });

  it("cites AWS documentation pages only", () => {
    const pages = Object.values(CONDITION_CITATIONS).map((c) => c.page);

    expect(pages.filter((page) => !page.startsWith("https://docs.aws.amazon.com/"))).toEqual([]);
  });
});

describe("cited", () => {
  it("returns the conditions whose keys the entry lists", () => {
    const condition = { test: "ArnEquals", variable: "aws:SourceArn", values: ["arn:aws:events:eu-west-1:111122223333:rule/r"] };

    expect(cited(CONDITION_CITATIONS.uploadsRuleSendsToQueue, [condition])).toEqual([condition]);
  });

  it("refuses a key the entry does not list, naming the key and the page", () => {
    const condition = { test: "StringEquals", variable: "aws:SourceAccount", values: ["111122223333"] };

    expect(() => cited(CONDITION_CITATIONS.uploadsRuleSendsToQueue, [condition])).toThrow(
      `aws:SourceAccount not documented by ${CONDITION_CITATIONS.uploadsRuleSendsToQueue.page}`,
    );
  });
});
