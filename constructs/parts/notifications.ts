import { Construct } from "constructs";
import { Fn, Op, TerraformIterator, Token } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AwsContext } from "../support/aws-context";
import { type PolicyStatement, denyInsecureTransport, policyJson, service } from "../support/policy-document";
import { CONDITION_CITATIONS, cited } from "../support/condition-citations";
import { RULES, patternProblems, throwIfInvalid } from "../config/rules";
import { type TopicSubscription, subscriptionKeys } from "../config/estate-settings";
import { planTimeSwitches } from "../support/plan-time";
import { byIndexOrKey } from "../support/tokens";

/** The actions an SNS topic policy can grant or deny on a topic. */
export const TOPIC_ACTIONS = [
  "sns:GetTopicAttributes",
  "sns:SetTopicAttributes",
  "sns:AddPermission",
  "sns:RemovePermission",
  "sns:DeleteTopic",
  "sns:Subscribe",
  "sns:ListSubscriptionsByTopic",
  "sns:Publish",
] as const;

export interface NotificationsProps {
  /** Name of the topic. */
  readonly topicName: string;
  /**
   * KMS key that encrypts the topic. For alarms to publish, it must be a customer managed key
   * whose policy admits CloudWatch (as {@link EncryptionKey}'s does).
   * @default the AWS managed key for SNS (`alias/aws/sns`), which CloudWatch alarms cannot use
   */
  readonly kmsKeyArn?: string;
  /**
   * Email address subscribed to the topic; the subscription must be confirmed from the email AWS sends.
   * @default no subscription
   */
  readonly notificationEmail?: string;
  /**
   * Send the email address every per-object notice too (one email per rejected or missing
   * upload, and per processed one with `notifyOnSuccess`). Off, the email receives the alarms
   * only (the rejections alarm among them: one email per period, however many uploads), so
   * whoever may upload cannot flood the mailbox; per-object notices still reach every other
   * subscriber of the topic (a queue, a function), which can filter on their `status` attribute.
   * @default false
   */
  readonly emailEveryNotice?: boolean;
  /**
   * More subscribers: email endpoints get the alarms only unless `emailEveryNotice`, the others every
   * notice. One subscription each (`for_each`), keyed by its `name`, else by its endpoint when that
   * is a literal, else by its index: never by a reference's value, which may be known only after apply.
   * @default none
   */
  readonly subscriptions?: readonly TopicSubscription[];
  /**
   * Names of the CloudWatch alarms allowed to publish to the topic (in this account and region).
   * @default none
   */
  readonly alarmNames?: readonly string[];
  /**
   * Account, region and partition to build ARNs from.
   * @default a new {@link AwsContext} in this construct
   */
  readonly aws?: AwsContext;
}

/**
 * The notifications topic: processing problems from the processor and alarm state
 * changes from CloudWatch, optionally delivered to one email address.
 *
 * @example
 * ```ts
 * const topic = new Notifications(stack, "Notifications", { topicName: "ImageProcessingNotifications-dev", notificationEmail: "ops@example.com" });
 * ```
 */
export class Notifications extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    throwIfInvalid(patternProblems("notificationEmail", props.notificationEmail, RULES.notificationEmail));
    const aws = props.aws ?? new AwsContext(this, "Aws");
    const alarmNames = props.alarmNames ?? [];

    this.topic = new SnsTopic(this, "Topic", {
      name: props.topicName,
      displayName: "Image Processing Notifications",
      kmsMasterKeyId: props.kmsKeyArn ?? "alias/aws/sns",
    });

    // From the topic's name, which the plan knows on create (its `arn` only after apply), so the policy shows in full.
    const topicArn = aws.arn("sns", this.topic.name);
    const alarms: PolicyStatement[] =
      alarmNames.length === 0
        ? []
        : [
            {
              sid: "AllowThisPipelinesAlarms",
              effect: "Allow",
              principals: service("cloudwatch.amazonaws.com"),
              actions: ["sns:Publish"],
              resources: [topicArn],
              // Only these alarms of this account (the confused deputy: no other alarm may publish here).
              condition: cited(CONDITION_CITATIONS.alarmsPublishToTopic, [
                { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
                { test: "ArnLike", variable: "aws:SourceArn", values: aws.arns("cloudwatch", "alarm:", alarmNames) },
              ]),
            },
          ];

    const policy = policyJson([
      {
        sid: "AllowAccountToManageAndUse",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${aws.partition}:iam::${aws.accountId}:root`] }],
        actions: [...TOPIC_ACTIONS],
        resources: [topicArn],
      },
      ...alarms,
      // Every action a topic policy can name, not only Publish: a subscription or an attribute read over plain HTTP too.
      denyInsecureTransport(TOPIC_ACTIONS, [topicArn]),
    ]);
    new SnsTopicPolicy(this, "Policy", { arn: this.topic.arn, policy });

    const email = props.notificationEmail;
    if (email !== undefined) {
      // In the module, the address is a variable that may be null: counted by whether it is.
      const subscribed = planTimeSwitches(this).emailSubscription;
      new SnsTopicSubscription(this, "EmailSubscription", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
        ...emailFilter(props.emailEveryNotice ?? false),
        count: subscribed === undefined ? undefined : Token.asNumber(Fn.conditional(subscribed, 1, 0)),
      });
    }
    const subscriptions = props.subscriptions ?? [];
    if (Token.isUnresolved(subscriptions) || subscriptions.length > 0) {
      // Keyed by what synth (or, for a whole list or map that is a variable, the plan) knows, so adding
      // or removing one leaves the others in place where they are named.
      const each = Token.isUnresolved(subscriptions)
        ? byIndexOrKey(subscriptions)
        : TerraformIterator.fromMap(
            Object.fromEntries(
              subscriptionKeys(subscriptions).map((key, i) => [
                key,
                { protocol: subscriptions[i].protocol, endpoint: subscriptions[i].endpoint },
              ]),
            ),
          );
      const protocol = each.getString("protocol");
      new SnsTopicSubscription(this, "Subscriptions", {
        forEach: each,
        topicArn: this.topic.arn,
        protocol,
        endpoint: each.getString("endpoint"),
        ...subscriberFilter(protocol, props.emailEveryNotice ?? false),
      });
    }
  }
}

/** What the alarms notify: the actions given, or the topic; a list token (the module's alarm_actions) empty means the topic. */
export function alarmActionsOf(given: readonly string[], topicArn: string): readonly string[] {
  if (Token.isUnresolved(given)) return Token.asList(Fn.coalescelist([given, [topicArn]]));
  return given.length > 0 ? given : [topicArn];
}

/**
 * Which of the alarm actions also run when an alarm returns to OK: SNS topics and Lambda functions,
 * which tell someone or something that it is over. Systems Manager OpsItems and Incident Manager
 * response plans are performed on ALARM only, and an EC2 or Auto Scaling action on OK would act on
 * recovery ("Alarm actions", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html).
 */
const NOTIFYING_ACTION = "^arn:[^:]+:(sns|lambda):";

/** The OK actions of the alarms: those of `actions` that notify; a list token filtered by Terraform. */
export function okActionsOf(actions: readonly string[]): readonly string[] {
  if (Token.isUnresolved(actions)) {
    return Token.asList(`\${[for arn in ${Token.asString(actions)} : arn if can(regex("${NOTIFYING_ACTION}", arn))]}`);
  }
  const notifying = new RegExp(NOTIFYING_ACTION);
  return actions.filter((arn) => Token.isUnresolved(arn) || notifying.test(arn));
}

/**
 * The warning for a pipeline that protects its data while its alarms reach no one (no email, no
 * subscriber, no alarm action, and no word that someone subscribes to the topic outside it); none otherwise.
 */
export function unsubscribedAlarmsWarning(
  instanceName: string,
  config: {
    readonly notificationEmail?: string;
    readonly subscriptions: readonly unknown[];
    readonly alarmActions: readonly string[];
    readonly dataProtection: boolean;
    readonly allowUnsubscribedNotifications: boolean;
  },
): string | undefined {
  const someoneReceives = config.notificationEmail !== undefined || config.subscriptions.length > 0 || config.alarmActions.length > 0;
  if (config.dataProtection !== true || someoneReceives || config.allowUnsubscribedNotifications !== false) return undefined;
  return (
    `The ${instanceName} pipeline protects its data but its topic has no subscriber: every alarm goes nowhere. ` +
    "Set notificationEmail, subscriptions or alarmActions, or allowUnsubscribedNotifications if you subscribe to the topic yourself."
  );
}

/** Per-object notices carry a `status` attribute; CloudWatch's alarm messages carry none. */
const ALARMS_ONLY = { status: [{ exists: false }] };

/** A subscription's filter policy: the alarms only, with its scope, or neither (the provider refuses a scope without a policy). */
type Filter = { filterPolicy?: string; filterPolicyScope?: string };

/** The filter where `alarmsOnly` (a Terraform condition) holds; none elsewhere. */
const alarmsOnlyWhere = (alarmsOnly: unknown): Filter => ({
  // jsonencode, not the JSON text: cdktf does not escape a string's quotes inside an expression.
  filterPolicy: Token.asString(Fn.conditional(alarmsOnly, Fn.jsonencode(ALARMS_ONLY), Token.nullValue())),
  filterPolicyScope: Token.asString(Fn.conditional(alarmsOnly, "MessageAttributes", Token.nullValue())),
});

/** The email subscription's filter: the alarms only, unless every notice is asked for (a module variable: decided at plan time). */
function emailFilter(everyNotice: boolean): Filter {
  if (Token.isUnresolved(everyNotice)) return alarmsOnlyWhere(Op.not(everyNotice));
  return everyNotice ? {} : { filterPolicy: JSON.stringify(ALARMS_ONLY), filterPolicyScope: "MessageAttributes" };
}

/** An email subscriber's filter (the alarms only, unless every notice is asked for); none for the other protocols. */
function subscriberFilter(protocol: string, everyNotice: boolean): Filter {
  const email = Fn.contains(["email", "email-json"], protocol);
  if (Token.isUnresolved(everyNotice)) return alarmsOnlyWhere(Op.and(Op.not(everyNotice), email));
  return everyNotice ? {} : alarmsOnlyWhere(email);
}
