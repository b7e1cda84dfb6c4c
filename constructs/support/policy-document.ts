import { Fn, Token } from "cdktf";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { CONDITION_CITATIONS, cited } from "./condition-citations";

/** One statement, in the terms of `aws_iam_policy_document`'s blocks; every statement has a `sid` so plans and tests can name it. */
export type PolicyStatement = DataAwsIamPolicyDocumentStatement & {
  readonly sid: string;
  /**
   * A Terraform boolean the plan knows (a module variable): the statement is in the policy only when it is true.
   * @default the statement is always there
   */
  readonly onlyIf?: boolean;
};

/** IAM's `Principal` element: `"*"`, or identifiers by type. */
type Principal = "*" | Record<string, string | readonly string[]>;

/**
 * The statements as IAM policy JSON, written into the resource's argument: literal JSON with the
 * references interpolated (`"Resource": ["${aws_s3_bucket.images.arn}/*"]`). Unlike an
 * `aws_iam_policy_document` data source, which Terraform reads during apply whenever a resource it
 * refers to has changes, the plan shows this policy as soon as its references are known, and a
 * change elsewhere (a tag) leaves it out of the plan. Lists known only at plan time (a module
 * variable's renditions) are `jsonencode`d in place.
 */
export function policyJson(statements: readonly PolicyStatement[]): string {
  const present = statements.filter((s) => s.onlyIf !== false);
  const always = present.filter((s) => !Token.isUnresolved(s.onlyIf));
  const policy = render({ Version: "2012-10-17", Statement: always.map(iamStatement) });
  const when = present.filter((s) => Token.isUnresolved(s.onlyIf));
  if (when.length === 0) return policy;
  if (always.length === 0) throw new Error("a policy needs one statement that is always there beside those counted by a switch");
  // `${<switch> ? format(",%s", jsonencode(<statement>)) : ""}` after the last statement, for each one the plan decides.
  const optional = when.map((s) => Token.asString(Fn.conditional(s.onlyIf, Fn.format(",%s", [Fn.jsonencode(iamStatement(s))]), "")));
  return `${policy.slice(0, -2)}${optional.join("")}]}`;
}

/**
 * The statements as IAM's statement objects (a list of them, not a JSON text), for an output: a plain list,
 * or, with statements a plan-time switch counts (`onlyIf`), one list the plan knows (`concat`).
 */
export function statementObjects(statements: readonly PolicyStatement[]): readonly Record<string, unknown>[] {
  const present = statements.filter((s) => s.onlyIf !== false);
  if (!present.some((s) => Token.isUnresolved(s.onlyIf))) return present.map(iamStatement);
  const lists = present.map((s) => (Token.isUnresolved(s.onlyIf) ? Fn.conditional(s.onlyIf, [iamStatement(s)], []) : [iamStatement(s)]));
  return Token.asAny(Fn.concat(lists)) as unknown as Record<string, unknown>[];
}

/**
 * A list of one as its element, as `aws_iam_policy_document` writes it (and as AWS reads it back,
 * so state written by the data source of 0.2.0 stays equal); a list known only at plan time stays a list.
 */
const scalarIfOne = (list: readonly string[] | undefined): string | readonly string[] | undefined =>
  list !== undefined && !Token.isUnresolved(list) && list.length === 1 ? list[0] : list;

/** One statement in IAM's JSON form, written as `aws_iam_policy_document` writes it (minus its sorting). */
export function iamStatement(s: PolicyStatement): Record<string, unknown> {
  const entries: [string, unknown][] = [
    ["Sid", s.sid],
    ["Effect", s.effect ?? "Allow"],
    ["Principal", principal(s.principals)],
    ["NotPrincipal", principal(s.notPrincipals)],
    ["Action", scalarIfOne(s.actions)],
    ["NotAction", scalarIfOne(s.notActions)],
    ["Resource", scalarIfOne(s.resources)],
    ["NotResource", scalarIfOne(s.notResources)],
    ["Condition", s.condition && conditions(s.condition)],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

function principal(principals: PolicyStatement["principals"]): Principal | undefined {
  if (principals === undefined) return undefined;
  const list = principals as { type: string; identifiers: string[] }[];
  if (list.some((p) => p.type === "*")) return "*";
  const byType: Record<string, string[]> = {};
  for (const p of list) byType[p.type] = [...(byType[p.type] ?? []), ...p.identifiers];
  return Object.fromEntries(Object.entries(byType).map(([type, identifiers]) => [type, scalarIfOne(identifiers)!]));
}

function conditions(list: PolicyStatement["condition"]): Record<string, Record<string, string | readonly string[]>> {
  const byTest: Record<string, Record<string, string | readonly string[]>> = {};
  for (const c of list as { test: string; variable: string; values: string[] }[])
    byTest[c.test] = { ...byTest[c.test], [c.variable]: scalarIfOne(c.values)! };
  return byTest;
}

/** JSON text of a value whose strings may hold cdktf tokens (left for cdktf to resolve into Terraform interpolations). */
function render(value: unknown): string {
  if (Array.isArray(value)) {
    // A list known only at plan time is one token: Terraform writes it as JSON itself.
    if (Token.isUnresolved(value)) return Fn.jsonencode(value);
    return `[${value.map(render).join(",")}]`;
  }
  if (typeof value === "string") {
    const literal = value.replace(/\$\{TfToken\[[^\]]+\]\}/g, "");
    if (literal.includes("${") || literal.includes("%{"))
      throw new Error(`a policy value may not hold a Terraform template sequence: ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === "number") return Token.isUnresolved(value) ? `"${Token.asString(value)}"` : JSON.stringify(value);
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, v]) => `${JSON.stringify(key)}:${render(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The principal "anyone", for deny statements that must apply to every caller. IAM reads
 * `{"AWS": "*"}` as `"*"` (all principals); the object form also keeps moto 5.2.5's
 * PutBucketLogging check from crashing, so the deploy test can apply access logging.
 */
export const ANYONE = [{ type: "AWS", identifiers: ["*"] }];

/** A principal that is an AWS service. */
export const service = (name: string) => [{ type: "Service", identifiers: [name] }];

/** Denies every request to the resources that does not use TLS, whoever makes it. */
export const denyInsecureTransport = (actions: string | readonly string[], resources: string[]): PolicyStatement => ({
  sid: "DenyInsecureTransport",
  effect: "Deny",
  principals: ANYONE,
  actions: [actions].flat(),
  resources,
  condition: cited(CONDITION_CITATIONS.requestsOverTls, [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }]),
});

/** Denies TLS older than 1.2 on a bucket and its objects, whoever asks. */
export const denyOutdatedTls = (bucketArn: string): PolicyStatement => ({
  sid: "DenyOutdatedTls",
  effect: "Deny",
  principals: ANYONE,
  actions: ["s3:*"],
  resources: [bucketArn, `${bucketArn}/*`],
  condition: cited(CONDITION_CITATIONS.bucketRequestsTlsVersion, [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }]),
});
