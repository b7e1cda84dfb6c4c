import { Testing } from "cdktf";
import { EnvironmentStack, type EnvironmentStackProps } from "../../constructs/shipping/environment-stack";

/** The synthesized Terraform JSON of one stack. */
export interface SynthesizedStack {
  readonly json: string;
  readonly tf: {
    resource: Record<string, Record<string, any>>;
    data: Record<string, Record<string, any>>;
    output: Record<string, any>;
    provider: Record<string, any[]>;
    terraform: Record<string, any>;
    locals?: Record<string, string>;
  };
}

/** The app's dev environment (main.ts): disposable, so its data protection is off. */
export const BASE_PROPS: EnvironmentStackProps = { environment: "dev", region: "eu-west-1", dataProtection: false };

/** Synthesizes one environment stack with the given props over {@link BASE_PROPS}. */
export function synthStack(props: Partial<EnvironmentStackProps> = {}): SynthesizedStack {
  const app = Testing.app();
  // prod cannot turn data protection off: it keeps the default there, as in the app.
  const protectedByName = props.environment === "prod" ? { dataProtection: undefined } : {};
  const stack = new EnvironmentStack(app, "test", { ...BASE_PROPS, ...protectedByName, ...props });
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
}

/** The only resource of a type, failing the test when there is not exactly one. */
export function onlyResource(stack: SynthesizedStack, type: string): any {
  const all = Object.values(stack.tf.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The only resource of a type whose attribute starts with a prefix (for types with several instances). */
export function resourceNamed(stack: SynthesizedStack, type: string, attribute: string, prefix: string): [string, any] {
  const all = Object.entries(stack.tf.resource[type] ?? {}).filter(([, r]) => String(r[attribute]).startsWith(prefix));
  if (all.length !== 1) throw new Error(`expected one ${type} with ${attribute} starting ${prefix}, found ${all.length}`);
  return all[0];
}

/** The Terraform address (type.name) of the only resource of a type. */
export function addressOf(stack: SynthesizedStack, type: string, kind: "resource" | "data" = "resource"): string {
  const names = Object.keys(stack.tf[kind][type] ?? {});
  if (names.length !== 1) throw new Error(`expected one ${type}, found ${names.length}`);
  return kind === "data" ? `data.${type}.${names[0]}` : `${type}.${names[0]}`;
}

/**
 * A policy as the resource's argument holds it (constructs/support/policy-document.ts: IAM JSON with
 * Terraform interpolations), read back into aws_iam_policy_document's terms (sid, effect, actions,
 * resources, principals, condition) so tests can name what they check. A list known only at plan
 * time (`${jsonencode(...)}`) reads as one interpolated element.
 */
export function policyDocumentOf(policy: string): { statement: any[] } {
  const listsAsStrings = policy.replace(
    /:\$\{jsonencode\((.*?)\)\}(?=[,}])/g,
    (_, expression: string) => `:[${JSON.stringify(`\${${expression}}`)}]`,
  );
  const document = JSON.parse(listsAsStrings);
  if (document.Version !== "2012-10-17" || !Array.isArray(document.Statement)) throw new Error(`not a policy document: ${policy}`);
  return { statement: document.Statement.map(fromIam) };
}

function fromIam(s: any): any {
  const list = (value: any) => (value === undefined || Array.isArray(value) ? value : [value]);
  const principals = (p: any) =>
    p === undefined
      ? undefined
      : p === "*"
        ? [{ type: "*", identifiers: ["*"] }]
        : Object.entries(p).map(([type, identifiers]) => ({ type, identifiers: list(identifiers) }));
  const statement: any = {
    sid: s.Sid,
    effect: s.Effect,
    principals: principals(s.Principal),
    not_principals: principals(s.NotPrincipal),
    actions: list(s.Action),
    not_actions: list(s.NotAction),
    resources: list(s.Resource),
    not_resources: list(s.NotResource),
    condition:
      s.Condition &&
      Object.entries(s.Condition).flatMap(([test, byVariable]: [string, any]) =>
        Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: list(values) })),
      ),
  };
  return Object.fromEntries(Object.entries(statement).filter(([, value]) => value !== undefined));
}

/** One statement of a policy document, by sid. */
export function statement(document: { statement: any[] }, sid: string): any {
  const found = document.statement.filter((s) => s.sid === sid);
  if (found.length !== 1) throw new Error(`expected one statement ${sid}, found ${found.length}`);
  return found[0];
}

/** A `${type.name.attribute}` reference to the only resource of a type. */
export const ref = (stack: SynthesizedStack, type: string, attribute: string, kind: "resource" | "data" = "resource") =>
  `\${${addressOf(stack, type, kind)}.${attribute}}`;

/** The reference every region-dependent value uses: the local that reads `data.aws_region` portably. */
export function regionRef(stack: SynthesizedStack): string {
  const names = Object.entries(stack.tf.locals ?? {}).filter(([, expression]) => expression.includes("data.aws_region."));
  if (names.length !== 1) throw new Error(`expected one region local, found ${names.length}`);
  return `\${local.${names[0][0]}}`;
}

/**
 * An ARN as the pipeline builds it from a name the plan knows on create (`name`, a reference or a
 * literal) and the provider's partition, region and account: `service` "s3" gives a bucket's ARN.
 */
export function arnFromName(stack: SynthesizedStack, service: string, name: string): string {
  const partition = ref(stack, "aws_partition", "partition", "data");
  if (service === "s3") return `arn:${partition}:s3:::${name}`;
  return `arn:${partition}:${service}:${regionRef(stack)}:${ref(stack, "aws_caller_identity", "account_id", "data")}:${name}`;
}

/** The original CloudFormation design's five outputs, with its names, plus the dead-letter queue's URL. */
export const EXPECTED_OUTPUTS = [
  "DashboardURL",
  "DeadLetterQueueUrl",
  "DynamoDBTableName",
  "LambdaFunctionArn",
  "S3BucketName",
  "SNSTopicArn",
];

/** The only resource of a type whose attribute is exactly `name`. */
export function resourceExactlyNamed(stack: SynthesizedStack, type: string, attribute: string, name: string): [string, any] {
  const all = Object.entries(stack.tf.resource[type] ?? {}).filter(([, r]) => r[attribute] === name);
  if (all.length !== 1) throw new Error(`expected one ${type} with ${attribute} ${name}, found ${all.length}`);
  return all[0];
}
