import { type SynthesizedStack, policyDocumentOf } from "./synth";
import { resolveReferences } from "./terraform-refs";

/** The concrete account, region and key id the synthesized references are resolved to. */
export const WORLD = { account: "111122223333", region: "eu-west-1", keyId: "0e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7" };

/** What Terraform would give each reference, for the resource types the policies mention. */
export function resolver(stack: SynthesizedStack) {
  const { account, region, keyId } = WORLD;
  const resolve = (value: string): string =>
    resolveReferences(value, stack.tf, (type, attribute, block) => {
      const name = (field: string) => resolve(block[field]);
      switch (`${type}.${attribute}`) {
        case "aws_caller_identity.account_id":
          return account;
        case "aws_region.region":
          return region;
        case "aws_partition.partition":
          return "aws";
        case "aws_s3_bucket.arn":
          return `arn:aws:s3:::${name("bucket")}`;
        case "aws_s3_bucket.id":
        case "aws_s3_bucket.bucket":
          return name("bucket");
        case "aws_dynamodb_table.arn":
          return `arn:aws:dynamodb:${region}:${account}:table/${name("name")}`;
        case "aws_sns_topic.arn":
          return `arn:aws:sns:${region}:${account}:${name("name")}`;
        case "aws_sqs_queue.arn":
          return `arn:aws:sqs:${region}:${account}:${name("name")}`;
        case "aws_cloudwatch_metric_alarm.arn":
          return `arn:aws:cloudwatch:${region}:${account}:alarm:${name("alarm_name")}`;
        case "aws_cloudwatch_log_group.arn":
          return `arn:aws:logs:${region}:${account}:log-group:${name("name")}`;
        case "aws_kms_key.arn":
          return `arn:aws:kms:${region}:${account}:key/${keyId}`;
        case "aws_kms_key.id":
        case "aws_kms_key.key_id":
          return keyId;
        case "aws_sns_topic.id":
          return `arn:aws:sns:${region}:${account}:${name("name")}`;
        case "aws_sqs_queue.id":
        case "aws_sqs_queue.url":
          return `https://sqs.${region}.amazonaws.com/${account}/${name("name")}`;
        case "aws_lambda_function.arn":
          return `arn:aws:lambda:${region}:${account}:function:${name("function_name")}`;
        case "aws_iam_role.arn":
          return `arn:aws:iam::${account}:role/${name("name")}`;
        case "aws_iam_role.id":
          return name("name");
        default:
          return undefined;
      }
    });
  return resolve;
}

/** Every resource of a stack with each string resolved as {@link resolver} can (the rest left as written). */
export function concreteResources(stack: SynthesizedStack): { address: string; type: string; values: Record<string, any> }[] {
  const resolve = resolver(stack);
  const walk = (value: any): any => {
    if (typeof value === "string") {
      try {
        return resolve(value);
      } catch {
        return value;
      }
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return Object.entries(stack.tf.resource).flatMap(([type, blocks]) =>
    Object.entries(blocks).map(([name, block]) => {
      // What Terraform computes on create, where the resolver knows it (ARNs, the key's id, a queue's URL).
      const computed = Object.fromEntries(
        ["arn", "key_id", "url"]
          .map((attribute) => [attribute, walk(`\${${type}.${name}.${attribute}}`)])
          .filter(([, value]) => !String(value).startsWith("${")),
      );
      return { address: `${type}.${name}`, type, values: { ...walk(block), ...computed } };
    }),
  );
}

/**
 * Renders an `aws_iam_policy_document` data source into IAM policy JSON, as Terraform
 * does, with every reference resolved to {@link WORLD}.
 */
export function renderPolicy(stack: SynthesizedStack, reference: string): { Version: string; Statement: any[] } {
  const resolve = resolver(stack);
  const document = policyDocumentOf(reference);
  return {
    Version: "2012-10-17",
    Statement: document.statement.map((s) => ({
      Sid: s.sid,
      Effect: s.effect,
      Action: [...s.actions],
      Resource: s.resources?.map(resolve),
      ...(s.principals && {
        Principal:
          s.principals[0].type === "*" ? "*" : Object.fromEntries(s.principals.map((p: any) => [p.type, p.identifiers.map(resolve)])),
      }),
      ...(s.condition && {
        Condition: s.condition.reduce((all: any, c: any) => {
          all[c.test] = { ...all[c.test], [c.variable]: c.values.map(resolve) };
          return all;
        }, {}),
      }),
    })),
  };
}

/** One call a role makes (or must never make), with the request's context keys. */
export type Call = { action: string; resource: string; context?: Record<string, string> };

/** The AWS default key policy (delegate to IAM), for keys other than the pipeline's: only the role's policy decides. */
export const DELEGATING_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${WORLD.account}:root` }, Action: "kms:*", Resource: "*" }],
};

/**
 * The decision of the IAM policy engine for one call of `role` under its identity policy; a
 * KMS call also meets the key's policy (`keyPolicy` for `keyArn`, the delegating one otherwise).
 */
export async function evaluateCall(
  role: string,
  policy: object,
  { action, resource, context = {} }: Call,
  key: { arn: string; policy: object },
): Promise<string> {
  const { runSimulation } = await import("@cloud-copilot/iam-simulate");
  const resourcePolicy = action.startsWith("kms:") ? (resource === key.arn ? key.policy : DELEGATING_KEY_POLICY) : undefined;
  const result = await runSimulation(
    {
      request: { principal: role, action, resource: { resource, accountId: WORLD.account }, contextVariables: context },
      identityPolicies: [{ name: "role-policy", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

/** Every way a policy departs from least privilege for the calls `needed` and `forbidden`, as sentences. */
export async function violations(
  evaluate: (call: Call) => Promise<string>,
  needed: readonly Call[],
  forbidden: readonly Call[],
  who: string,
): Promise<string[]> {
  const found: string[] = [];
  for (const call of needed) {
    const result = await evaluate(call);
    if (result !== "Allowed") found.push(`${call.action} on ${call.resource} is ${result} but the ${who} needs it`);
  }
  for (const call of forbidden) {
    const result = await evaluate(call);
    if (result === "Allowed") found.push(`${call.action} on ${call.resource} is Allowed`);
  }
  return found;
}
