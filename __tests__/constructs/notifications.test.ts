import { Testing } from "cdktf";
import { Notifications } from "../../constructs/notifications";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { onlyResource, policyDocumentOf, ref, statement, synthStack } from "../helpers/synth";

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

  it("lets only this pipeline's alarms publish, and only over TLS", () => {
    const document = policyDocumentOf(onlyResource(stack, "aws_sns_topic_policy").policy);

    const alarms = statement(document, "AllowThisPipelinesAlarms");
    expect(alarms.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(alarms.actions).toEqual(["sns:Publish"]);
    expect(alarms.condition.map((c: any) => c.variable)).toEqual(["aws:SourceAccount", "aws:SourceArn"]);
    expect(statement(document, "DenyInsecureTransport")).toMatchObject({
      effect: "Deny",
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
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
