import { Testing } from "cdktf";
import { Notifications, TOPIC_ACTIONS } from "../../../constructs/parts/notifications";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { onlyResource, policyDocumentOf, ref, statement, synthStack } from "../../helpers/synth";
import { ALARM_COUNTS } from "../../../constructs/naming/alarm-catalog";

describe("Notifications", () => {
  const stack = synthStack();

  it("encrypts the topic with the customer managed key, not alias/aws/sns", () => {
    expect(stack.json).toHaveResourceWithProperties(SnsTopic, {
      name: "ImageProcessingNotifications-dev",
      kms_master_key_id: ref(stack, "aws_kms_key", "arn"),
    });
  });

  it("has no subscription unless an email is given", () => {
    expect(stack.json).not.toHaveResource(SnsTopicSubscription);
  });

  it("subscribes the given email", () => {
    const withEmail = synthStack({ notificationEmail: "ops@example.com" });

    expect(withEmail.json).toHaveResourceWithProperties(SnsTopicSubscription, {
      protocol: "email",
      endpoint: "ops@example.com",
      topic_arn: ref(withEmail, "aws_sns_topic", "arn"),
    });
  });

  it("sends the email the alarms only (messages without a status attribute), unless every notice is asked for", () => {
    const alarmsOnly = onlyResource(synthStack({ notificationEmail: "ops@example.com" }), "aws_sns_topic_subscription");
    const everyNotice = onlyResource(
      synthStack({ notificationEmail: "ops@example.com", emailEveryNotice: true }),
      "aws_sns_topic_subscription",
    );

    expect(JSON.parse(alarmsOnly.filter_policy)).toEqual({ status: [{ exists: false }] });
    expect(alarmsOnly.filter_policy_scope).toBe("MessageAttributes");
    expect(everyNotice.filter_policy).toBeUndefined();
  });

  it("lets only this pipeline's alarms publish, and only over TLS", () => {
    const document = policyDocumentOf(onlyResource(stack, "aws_sns_topic_policy").policy);

    const alarms = statement(document, "AllowThisPipelinesAlarms");
    expect(alarms.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(alarms.actions).toEqual(["sns:Publish"]);
    expect(alarms.condition.map((c: any) => c.variable)).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
    expect(statement(document, "DenyInsecureTransport")).toMatchObject({
      effect: "Deny",
      // Every action on the topic, subscribing and reading its attributes too, not only Publish.
      actions: [...TOPIC_ACTIONS],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    expect(statement(document, "AllowAccountToManageAndUse").actions).toEqual(statement(document, "DenyInsecureTransport").actions);
    const principals = document.statement.flatMap((s) => s.principals.flatMap((p: any) => p.identifiers));
    expect(principals.filter((p: string) => p === "*")).toHaveLength(1); // only in the Deny
  });
});

describe("Notifications on its own (Testing.synthScope)", () => {
  it("needs only a topic name: the AWS managed SNS key, no alarm grant, no subscription", () => {
    const json = Testing.synthScope((scope) => new Notifications(scope, "Notifications", { topicName: "image-news" }));
    const tf = JSON.parse(json);
    const document = policyDocumentOf((Object.values(tf.resource.aws_sns_topic_policy)[0] as any).policy);

    expect(json).toHaveResourceWithProperties(SnsTopic, { name: "image-news", kms_master_key_id: "alias/aws/sns" });
    expect(document.statement.map((s: any) => s.sid)).toEqual(["AllowAccountToManageAndUse", "DenyInsecureTransport"]);
    expect(tf.resource.aws_sns_topic_subscription).toBeUndefined();
  });

  it("refuses a malformed email, naming the field and the allowed form", () => {
    expect(() => Testing.synthScope((scope) => new Notifications(scope, "N", { topicName: "t", notificationEmail: "ops" }))).toThrow(
      'notificationEmail must be an email address such as ops@example.com; got "ops"',
    );
  });
});

describe("Notifications: more subscribers, and alarms to other actions", () => {
  const subscriptions = [
    { protocol: "email" as const, endpoint: "oncall@example.com" },
    { protocol: "sqs" as const, endpoint: "arn:aws:sqs:eu-west-1:111122223333:image-notices" },
  ];

  it("makes one subscription per endpoint, keyed by it; email gets the alarms only, a queue every notice", () => {
    const stack = synthStack({ subscriptions });
    const [subscribers] = Object.values(stack.tf.resource.aws_sns_topic_subscription) as any[];

    expect(subscribers.for_each).toEqual(Object.fromEntries(subscriptions.map((s) => [s.endpoint, s])));
    expect(subscribers.protocol).toBe("${each.value.protocol}");
    expect(subscribers.filter_policy).toBe(
      '${contains(["email", "email-json"], each.value.protocol) ? jsonencode({"status" = [{"exists" = false}]}) : null}',
    );
    // The provider refuses a scope without a policy: both, or neither.
    expect(subscribers.filter_policy_scope).toBe('${contains(["email", "email-json"], each.value.protocol) ? "MessageAttributes" : null}');
  });

  it("sends every alarm's ALARM and OK to the actions given instead of the topic", () => {
    const onCall = "arn:aws:sns:eu-west-1:111122223333:on-call";
    const stack = synthStack({ alarmActions: [onCall] });
    const alarms = Object.values(stack.tf.resource.aws_cloudwatch_metric_alarm) as any[];

    expect(alarms.length).toBe(ALARM_COUNTS.processor);
    for (const alarm of alarms) expect([alarm.alarm_actions, alarm.ok_actions]).toEqual([[onCall], [onCall]]);
  });

  it("sends the alarms to the topic by default", () => {
    const stack = synthStack();
    const alarms = Object.values(stack.tf.resource.aws_cloudwatch_metric_alarm) as any[];

    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([ref(stack, "aws_sns_topic", "arn")]);
  });
});
