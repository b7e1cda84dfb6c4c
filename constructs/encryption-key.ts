import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsContext } from "./aws-context";
import { ResolvedPipelineConfig } from "./config";
import { ResourceNames, resourceNames } from "./names";
import { policyDocument, service } from "./policy-document";

/** ARNs of the pipeline's alarms, for the conditions that let CloudWatch use the key and the topic. */
export const alarmArns = (aws: AwsContext, names: ResourceNames): string[] =>
  Object.values(names.alarms).map((alarm) => aws.arn("cloudwatch", `alarm:${alarm}`));

export interface EncryptionKeyProps {
  readonly config: ResolvedPipelineConfig;
  readonly aws: AwsContext;
}

/**
 * The pipeline's customer managed KMS key: it encrypts the table, the topic, the
 * dead-letter queue and the log group. A customer managed key (not `alias/aws/sns`)
 * is what lets CloudWatch alarms publish to the encrypted topic: the AWS managed key's
 * policy cannot be changed to admit CloudWatch, and alarm delivery then fails silently.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, { config, aws }: EncryptionKeyProps) {
    super(scope, id);
    const names = resourceNames(config.environment);

    const policy = policyDocument(this, "Policy", [
      {
        // Standard key policy root: access is then granted by IAM policies, like the processor's role.
        sid: "EnableIamPolicies",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${aws.partition}:iam::${aws.accountId}:root`] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      {
        sid: "AllowCloudWatchAlarmsToPublish",
        effect: "Allow",
        principals: service("cloudwatch.amazonaws.com"),
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        // Only this pipeline's alarms, so the grant cannot be borrowed by another alarm (confused deputy).
        condition: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [aws.accountId] },
          { test: "ArnLike", variable: "aws:SourceArn", values: alarmArns(aws, names) },
        ],
      },
      {
        sid: "AllowCloudWatchLogsForTheProcessorLogGroup",
        effect: "Allow",
        principals: service(`logs.${aws.region}.amazonaws.com`),
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [
          {
            test: "ArnEquals",
            variable: "kms:EncryptionContext:aws:logs:arn",
            values: [aws.arn("logs", `log-group:${names.logGroup}`)],
          },
        ],
      },
    ]);

    this.key = new KmsKey(this, "Key", {
      description: `Image processing pipeline (${config.environment}): table, topic, dead-letter queue and logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policy.json,
    });
    new KmsAlias(this, "Alias", { name: names.keyAlias, targetKeyId: this.key.keyId });
  }
}
