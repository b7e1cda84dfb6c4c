// What a platform team brings from its own infrastructure: where alarms go, who else receives the topic's notices, the
// VPC the functions run in, and a KMS key it manages itself. Checked here, used by the parts.
import { RULES, known, patternProblems, show } from "./rules";

/** One more subscriber of the notifications topic. */
export interface TopicSubscription {
  /** `email`, `email-json`, `https`, `sqs` or `lambda`. */
  readonly protocol: "email" | "email-json" | "https" | "sqs" | "lambda";
  /**
   * The address, URL or ARN: a literal, or a reference (a queue's or a function's ARN in the same
   * configuration, a variable). A queue's policy or a function's permission must admit the topic;
   * that is the subscriber's to grant.
   */
  readonly endpoint: string;
  /**
   * The subscription's key in Terraform (`aws_sns_topic_subscription.<name>["<key>"]`), unique among
   * the subscriptions: name the ones whose endpoint is a reference, so that adding or removing
   * another leaves them in place.
   * @default the endpoint when it is a literal; else the subscription's index in the list
   */
  readonly name?: string;
}

/** Each subscription's key in Terraform: its name, else its endpoint if synth knows it, else its index. */
export const subscriptionKeys = (subscriptions: readonly TopicSubscription[]): string[] =>
  subscriptions.map((s, i) => s.name ?? (known(s.endpoint) ? s.endpoint : String(i)));

/** Subnets and security groups both functions are placed in. */
export interface VpcPlacement {
  /**
   * Subnets both functions run in: private ones, ideally in two Availability Zones or more. The
   * functions then reach AWS through VPC endpoints or a NAT gateway (S3 and DynamoDB gateway
   * endpoints; SNS, SQS and, with tracing, X-Ray interface endpoints; none for KMS, which the
   * services call on their behalf).
   */
  readonly subnetIds: readonly string[];
  /**
   * Security groups of both functions' network interfaces; they need HTTPS out to the endpoints.
   * @remarks docs/estates.md, "Bring your own".
   */
  readonly securityGroupIds: readonly string[];
}

/** Bring-your-own props of {@link ImageProcessingPipelineProps}: each optional, each checked at synth (and by the module's validation). */
export interface EstateSettings {
  /**
   * What every alarm runs on ALARM instead of notifying the pipeline's topic: an on-call team's
   * topic, an Incident Manager response plan... (at most 5, CloudWatch's limit), literals or
   * references. On OK only the SNS topics and Lambda functions among them run (CloudWatch performs
   * the others on ALARM only). A topic that is not
   * the pipeline's must admit `cloudwatch.amazonaws.com` in its policy (and its key, if encrypted).
   * @default the pipeline's notifications topic
   */
  readonly alarmActions?: readonly string[];
  /**
   * More subscribers of the notifications topic, beside `notificationEmail`. Email endpoints get the
   * alarms only unless `emailEveryNotice`; the others get every notice, which they can filter on
   * its `status` attribute.
   * @default none
   */
  readonly subscriptions?: readonly TopicSubscription[];
  /**
   * Run both functions in these subnets, with these security groups (ids or references; given, the
   * functions are placed, whatever the lists hold). The functions then reach AWS
   * through VPC endpoints or a NAT gateway; their roles get the network-interface permissions
   * Lambda needs.
   * @default not in a VPC
   */
  readonly vpc?: VpcPlacement;
  /**
   * A customer managed KMS key of yours for everything the pipeline encrypts (table, topic, queues,
   * log groups), instead of a key per instance.
   * @remarks docs/estates.md, "Bring your own". A literal ARN, or a reference (`myKey.arn`, a `TerraformVariable`); given, the
   * pipeline makes no key. Its key policy must admit what the pipeline's own key policy admits.
   * @default a new key per instance, with rotation
   */
  readonly existingKmsKeyArn?: string;
}

/** Problems of the bring-your-own props that are known at synth; the module's validation checks the rest. */
export function bringYourOwnProblems(props: EstateSettings): string[] {
  const problems: string[] = [];
  const actions = props.alarmActions;
  if (known(actions)) {
    const bad = actions!.filter((arn) => known(arn) && !RULES.alarmAction.pattern.test(arn));
    if (actions!.length > RULES.alarmAction.max || bad.length > 0) {
      problems.push(
        `alarmActions must be at most ${RULES.alarmAction.max} values, each ${RULES.alarmAction.allowed}; got ${show(actions)}`,
      );
    }
  }
  problems.push(...subscriptionProblems(props.subscriptions), ...vpcProblems(props.vpc));
  problems.push(...patternProblems("existingKmsKeyArn", props.existingKmsKeyArn, RULES.kmsKeyArn));
  return problems;
}

function subscriptionProblems(subscriptions: readonly TopicSubscription[] | undefined): string[] {
  if (!known(subscriptions)) return [];
  const { protocols, endpoints, allowed } = RULES.subscription;
  const bad = subscriptions!.filter(
    (s) => !protocols.includes(s.protocol) || (known(s.endpoint) && !endpoints[s.protocol].test(s.endpoint)),
  );
  const repeated = new Set(subscriptions!.map((s) => s.endpoint)).size !== subscriptions!.length;
  const problems = bad.length > 0 || repeated ? [`subscriptions must be ${allowed}; got ${show(subscriptions)}`] : [];
  const keys = subscriptionKeys(subscriptions!);
  const clashing = keys.filter((key, i) => keys.indexOf(key) !== i);
  const badNames = subscriptions!.filter((s) => s.name !== undefined && (!known(s.name) || !RULES.subscription.name.pattern.test(s.name)));
  if (clashing.length > 0 || badNames.length > 0) {
    problems.push(
      `subscriptions[].name must be ${RULES.subscription.name.allowed}, one per subscription and none equal to another's endpoint or index; got ${show(subscriptions!.map((s) => s.name))}`,
    );
  }
  return problems;
}

function vpcProblems(vpc: VpcPlacement | undefined): string[] {
  if (!known(vpc)) return [];
  const problems: string[] = [];
  // Lambda's limits: 16 subnets, 5 security groups.
  const check = (field: "subnetIds" | "securityGroupIds", max: number, rule: { pattern: RegExp; allowed: string }) => {
    const ids = vpc![field];
    if (!known(ids)) return;
    if (ids.length === 0 || ids.length > max || ids.some((id) => known(id) && !rule.pattern.test(id))) {
      problems.push(`vpc.${field} must be 1 to ${max} values, each ${rule.allowed}; got ${show(ids)}`);
    }
  };
  check("subnetIds", 16, RULES.subnetId);
  check("securityGroupIds", 5, RULES.securityGroupId);
  return problems;
}
