import { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { AwsContext } from "./aws-context";
import { ResolvedPipelineConfig } from "./config";
import { alarmArns } from "./encryption-key";
import { resourceNames } from "./names";
import { denyInsecureTransport, policyDocument, service } from "./policy-document";

export interface NotificationsProps {
  readonly config: ResolvedPipelineConfig;
  readonly aws: AwsContext;
  /** Customer managed key that encrypts the topic; its policy must admit CloudWatch. */
  readonly kmsKeyArn: string;
}

/**
 * The notifications topic: processing problems from the processor and alarm state
 * changes from CloudWatch, optionally delivered to one email address.
 */
export class Notifications extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, { config, aws, kmsKeyArn }: NotificationsProps) {
    super(scope, id);
    const names = resourceNames(config.environment);

    this.topic = new SnsTopic(this, "Topic", {
      name: names.topic,
      displayName: "Image Processing Notifications",
      kmsMasterKeyId: kmsKeyArn,
    });

    const document = policyDocument(this, "PolicyDocument", [
      {
        sid: "AllowAccountToManageAndUse",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${aws.partition}:iam::${aws.accountId}:root`] }],
        actions: [
          "sns:GetTopicAttributes",
          "sns:SetTopicAttributes",
          "sns:AddPermission",
          "sns:RemovePermission",
          "sns:DeleteTopic",
          "sns:Subscribe",
          "sns:ListSubscriptionsByTopic",
          "sns:Publish",
        ],
        resources: [this.topic.arn],
      },
      {
        sid: "AllowThisPipelinesAlarms",
        effect: "Allow",
        principals: service("cloudwatch.amazonaws.com"),
        actions: ["sns:Publish"],
        resources: [this.topic.arn],
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: alarmArns(aws, names) },
        ],
      },
      denyInsecureTransport("sns:Publish", [this.topic.arn]),
    ]);
    new SnsTopicPolicy(this, "Policy", { arn: this.topic.arn, policy: document.json });

    const email = config.notificationEmail;
    if (email) {
      new SnsTopicSubscription(this, "EmailSubscription", {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
        // A module variable: subscribe only when it is not empty.
        count: Token.isUnresolved(email) ? Fn.signum(Fn.lengthOf(email)) : undefined,
      });
    }
  }
}
