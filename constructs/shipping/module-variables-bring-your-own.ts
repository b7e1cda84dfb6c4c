// The validations of the module's inputs for what a platform team brings from its existing infrastructure
// (constructs/config/estate-settings.ts): alarm actions, more subscribers, VPC placement and its own
// KMS key, by the same RULES.
import { RULES } from "../config/rules";
import { SUBSCRIPTION_TYPE, type Validation, hclString, listOf, matches, onlyAttributes, pattern, v } from "./module-variable-rules";

export function bringYourOwnValidations(): Record<string, Validation | Validation[]> {
  const { protocols, endpoints } = RULES.subscription;
  // Each subscription's endpoint by its protocol's rule; written without a map literal, as one
  // condition per protocol.
  const endpointOk = protocols.map((p) => `(s.protocol != ${hclString(p)} || ${matches(endpoints[p], "s.endpoint")})`).join(" && ");
  // Typed any (onlyAttributes says why): an attribute left out reads as null here, and fails the rule.
  const subscriptions = `{ for k, x in ${v("subscriptions")} : k => merge({ protocol = null, endpoint = null }, x) }`;
  const ids = (name: string, max: number, rule: { pattern: RegExp; allowed: string }) => listOf(name, max, rule, "id");
  return {
    alarm_actions: listOf("alarm_actions", RULES.alarmAction.max, RULES.alarmAction),
    subscriptions: [
      onlyAttributes("subscriptions", SUBSCRIPTION_TYPE, `k, r in ${v("subscriptions")}`, "subscriptions[${k}]"),
      {
        condition: `alltrue([for k, s in ${subscriptions} : can(regex(${hclString(RULES.subscription.name.pattern.source)}, k)) && contains(${JSON.stringify(protocols)}, s.protocol) && ${endpointOk}]) && length(distinct([for s in values(${subscriptions}) : s.endpoint])) == length(${v("subscriptions")})`,
        message: `Invalid subscriptions: must be a map, each key ${RULES.subscription.name.allowed}, of { protocol, endpoint } with distinct endpoints: email or email-json with an email address, https with an https:// URL, sqs with a queue ARN, lambda with a function ARN.`,
      },
    ],
    vpc_subnet_ids: [
      ids("vpc_subnet_ids", 16, RULES.subnetId),
      // Its converse, security groups without subnets, is a precondition (valuesWithoutTheirSwitch).
      {
        condition: `length(${v("vpc_subnet_ids")}) == 0 || length(${v("vpc_security_group_ids")}) > 0`,
        message: "Invalid vpc_subnet_ids: give vpc_subnet_ids and vpc_security_group_ids together, or neither.",
      },
    ],
    vpc_security_group_ids: ids("vpc_security_group_ids", 5, RULES.securityGroupId),
    inventory_kms_key_arn: [
      pattern("inventory_kms_key_arn", RULES.kmsKeyArn, "null"),
      {
        condition: `${v("inventory_kms_key_arn")} == null || ${v("batch_operations")}`,
        message:
          "Invalid inventory_kms_key_arn: it is the Batch Operations role's key to read S3 Inventory manifests with; set batch_operations = true, or leave it null.",
      },
    ],
    // Its converse, a key with create_kms_key left true, is a precondition (valuesWithoutTheirSwitch).
    create_kms_key: {
      condition: `${v("create_kms_key")} || ${v("existing_kms_key_arn")} != null`,
      message:
        "Invalid create_kms_key: false means the pipeline uses your key; give it as existing_kms_key_arn (or leave create_kms_key = true, and the module makes its own).",
    },
  };
}
