// The module's inputs for what a platform team brings from its estate (constructs/config/estate-settings.ts):
// alarm actions, more subscribers, VPC placement and its own KMS key, validated by the same RULES.
import { RULES } from "../config/rules";
import { type ModuleVariableSpec, SUBSCRIPTION_TYPE, hclString, listOf, matches, pattern, v } from "./module-variable-rules";

export function estateVariables(): ModuleVariableSpec[] {
  const { protocols, endpoints } = RULES.subscription;
  // Each subscription's endpoint by its protocol's rule; written without a map literal, as one
  // condition per protocol.
  const endpointOk = protocols.map((p) => `(s.protocol != ${hclString(p)} || ${matches(endpoints[p], "s.endpoint")})`).join(" && ");
  const ids = (name: string, max: number, rule: { pattern: RegExp; allowed: string }) => listOf(name, max, rule, "id");
  return [
    {
      name: "alarm_actions",
      type: "list(string)",
      description: `What every alarm runs on ALARM instead of notifying the module's topic (an on-call team's SNS topic, an Incident Manager response plan...): at most ${RULES.alarmAction.max} ARNs; on OK, only the SNS topics and Lambda functions among them. A topic that is not the module's must admit cloudwatch.amazonaws.com in its policy. Empty: the module's topic.`,
      default: [],
      validation: listOf("alarm_actions", RULES.alarmAction.max, RULES.alarmAction),
    },
    {
      name: "subscriptions",
      type: SUBSCRIPTION_TYPE,
      description:
        "More subscribers of the notifications topic, beside notification_email, keyed by names you write, one subscription each: { oncall = { protocol = \"sqs\", endpoint = aws_sqs_queue.notices.arn } } (an endpoint may be a reference; the key is what Terraform counts by). Email endpoints get the alarms only unless email_every_notice; https, sqs and lambda endpoints get every notice (a queue's policy or a function's permission must admit the topic).",
      default: {},
      validation: {
        condition: `alltrue([for k, s in ${v("subscriptions")} : can(regex(${hclString(RULES.subscription.name.pattern.source)}, k)) && contains(${JSON.stringify(protocols)}, s.protocol) && ${endpointOk}]) && length(distinct([for s in values(${v("subscriptions")}) : s.endpoint])) == length(${v("subscriptions")})`,
        message: `Invalid subscriptions: must be a map, each key ${RULES.subscription.name.allowed}, of { protocol, endpoint } with distinct endpoints: email or email-json with an email address, https with an https:// URL, sqs with a queue ARN, lambda with a function ARN.`,
      },
    },
    {
      name: "vpc_subnet_ids",
      type: "list(string)",
      description:
        "Subnets both functions run in (private ones, in two Availability Zones or more); with vpc_security_group_ids. The functions then reach AWS through VPC endpoints or a NAT gateway (S3 and DynamoDB gateway endpoints; SNS, SQS, KMS and, with tracing, X-Ray interface endpoints). Empty: not in a VPC.",
      default: [],
      validation: [
        ids("vpc_subnet_ids", 16, RULES.subnetId),
        {
          condition: `(length(${v("vpc_subnet_ids")}) == 0) == (length(${v("vpc_security_group_ids")}) == 0)`,
          message: "Invalid vpc_subnet_ids: give vpc_subnet_ids and vpc_security_group_ids together, or neither.",
        },
      ],
    },
    {
      name: "vpc_security_group_ids",
      type: "list(string)",
      description: "Security groups of both functions' network interfaces (they need HTTPS out to the endpoints); with vpc_subnet_ids.",
      default: [],
      validation: ids("vpc_security_group_ids", 5, RULES.securityGroupId),
    },
    {
      name: "create_kms_key",
      type: "bool",
      description:
        "Make a customer managed KMS key for this instance. false: everything is encrypted with existing_kms_key_arn instead. A switch beside the ARN, so the plan knows what to make even when the ARN is a reference (aws_kms_key.team.arn).",
      default: true,
      validation: {
        condition: `${v("create_kms_key")} == (${v("existing_kms_key_arn")} == null)`,
        message:
          "Invalid create_kms_key: set create_kms_key = false together with existing_kms_key_arn (your key), or leave existing_kms_key_arn null with create_kms_key = true (the module makes its key).",
      },
    },
    {
      name: "existing_kms_key_arn",
      type: "string",
      description:
        "A customer managed KMS key of yours for everything the module encrypts (table, topic, queues, log groups) instead of a key per instance, with create_kms_key = false; a literal or a reference. Its policy must admit what the output kms_key_policy_statements lists. null: the module makes its key.",
      default: null,
      validation: pattern("existing_kms_key_arn", RULES.kmsKeyArn, "null"),
    },
  ];
}
