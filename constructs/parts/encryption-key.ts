import { Construct } from "constructs";
import { Fn, Op, Token } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsContext } from "../support/aws-context";
import { Counted } from "../support/counted";
import { type PolicyStatement, policyJson, service } from "../support/policy-document";
import { CONDITION_CITATIONS, cited } from "../support/condition-citations";

export interface EncryptionKeyProps {
  /** Alias of the key, `alias/...`. */
  readonly aliasName: string;
  /**
   * Description of the key.
   * @default "Image processing pipeline"
   */
  readonly description?: string;
  /**
   * Names of the CloudWatch alarms that publish to a topic the key encrypts: given, CloudWatch may use the
   * key (as AWS documents it for an encrypted topic; the topic's policy admits these alarms only).
   * @default none
   */
  readonly alarmNames?: readonly string[];
  /**
   * Names of the log groups CloudWatch Logs may encrypt with the key (each named in the
   * encryption context CloudWatch Logs sends, so no other log group can use the key).
   * @default none
   */
  readonly logGroupNames?: readonly string[];
  /**
   * Name of one log group CloudWatch Logs may encrypt with the key.
   * @deprecated use {@link EncryptionKeyProps.logGroupNames}; both together are merged
   * @default none
   */
  readonly logGroupName?: string;
  /**
   * ARNs of the EventBridge rules that send to queues the key encrypts: given, EventBridge may use the
   * key (as AWS documents it for an encrypted queue target; the queues' policies admit these rules only).
   * @default none
   */
  readonly eventRuleArns?: readonly string[];
  /**
   * Account, region and partition to build ARNs from.
   * @default a new {@link AwsContext} in this construct
   */
  readonly aws?: AwsContext;
  /**
   * Whether the key exists, when Terraform decides (the module counts it out for an `existing_kms_key_arn`).
   * @default it is made
   */
  readonly counted?: Counted;
}

/**
 * The pipeline's customer managed KMS key: it encrypts the table, the topic, the
 * dead-letter queue and the log group. A customer managed key (not `alias/aws/sns`)
 * is what lets CloudWatch alarms publish to the encrypted topic: the AWS managed key's
 * policy cannot be changed to admit CloudWatch, and alarm delivery then fails silently.
 *
 * @example
 * ```ts
 * const key = new EncryptionKey(stack, "Key", { aliasName: "alias/image-processing-dev" });
 * new ImageStore(stack, "Store", { bucketName: "acme-images-dev", bucketKmsKeyArn: key.key.arn });
 * ```
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /** The key's ARN, id and alias (null in the module when it is counted out). */
  readonly arn: string;
  readonly keyId: string;
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const aws = props.aws ?? new AwsContext(this, "Aws");
    const counted = props.counted ?? new Counted();
    const policy = policyJson([
      {
        // Standard key policy root: access is then granted by IAM policies, like the processor's role.
        sid: "EnableIamPolicies",
        effect: "Allow",
        principals: [{ type: "AWS", identifiers: [`arn:${aws.partition}:iam::${aws.accountId}:root`] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      ...serviceKeyStatements(aws, props),
    ]);

    this.key = new KmsKey(this, "Key", {
      description: props.description ?? "Image processing pipeline",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy,
    });
    this.alias = new KmsAlias(this, "Alias", { name: props.aliasName, targetKeyId: counted.attribute(this.key, "key_id") });
    this.arn = counted.attribute(this.key, "arn");
    this.keyId = counted.attribute(this.key, "key_id");
    this.aliasName = counted.attribute(this.alias, "name");
    counted.countAll(this);
  }
}

/**
 * What the AWS services need of the pipeline's key beside IAM (CloudWatch alarms, CloudWatch Logs,
 * EventBridge), each for the pipeline's own alarms, log groups and rule only: the statements of the
 * key the pipeline makes, and what the policy of a key given to it must hold.
 */
export function serviceKeyStatements(aws: AwsContext, props: Omit<EncryptionKeyProps, "aliasName" | "aws" | "counted">): PolicyStatement[] {
  const alarmNames = props.alarmNames ?? [];
  const statements: PolicyStatement[] = [];
  if (alarmNames.length > 0) {
    statements.push({
      // CloudWatch encrypts what an alarm publishes to a topic the key encrypts. AWS's documented statement
      // for an encrypted topic that CloudWatch publishes to, as it is: no condition ("Enable compatibility
      // between event sources from AWS services and encrypted topics",
      // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
      // No AWS page says CloudWatch puts the alarm's ARN or account into the KMS request, and a condition it
      // does not meet would silence every alarm. What bounds it: CloudWatch uses the key only to publish to a
      // topic the key encrypts, and the pipeline's topic admits its own alarms alone
      // (CONDITION_CITATIONS.alarmsPublishToTopic: notifications.ts).
      sid: "AllowCloudWatchAlarmsToPublish",
      effect: "Allow",
      principals: service("cloudwatch.amazonaws.com"),
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
    });
  }
  // A list the plan knows only as a whole (the module's, by its switches) is taken as it is.
  const logGroupNames =
    props.logGroupName === undefined ? (props.logGroupNames ?? []) : [...(props.logGroupNames ?? []), props.logGroupName];
  if (logGroupNames.length > 0) {
    statements.push({
      sid: "AllowCloudWatchLogsForTheLogGroups",
      effect: "Allow",
      principals: service(`logs.${aws.region}.amazonaws.com`),
      actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      resources: ["*"],
      condition: cited(CONDITION_CITATIONS.logGroupsInEncryptionContext, [
        { test: "ArnEquals", variable: "kms:EncryptionContext:aws:logs:arn", values: aws.arns("logs", "log-group:", logGroupNames) },
      ]),
    });
  }
  const ruleArns = props.eventRuleArns ?? [];
  if (ruleArns.length > 0) {
    statements.push({
      // EventBridge encrypts what it sends to a queue the key encrypts. AWS's documented statement for
      // an encrypted queue that EventBridge targets, as it is: no condition ("Enable compatibility between
      // AWS services and encrypted queues", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
      // No AWS page says EventBridge puts the rule's ARN into the KMS request, and a condition it does
      // not meet would drop every upload event, its dead letters too. What bounds it: the key encrypts
      // only this pipeline's queues, and their policies admit SendMessage from the uploads rule alone
      // (CONDITION_CITATIONS.uploadsRuleSendsToQueue: event-queue.ts).
      sid: "AllowTheUploadsRuleToSendToEncryptedQueues",
      effect: "Allow",
      principals: service("events.amazonaws.com"),
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: ["*"],
      // In the module, there as its rule is (event_delivery).
      // (`>= 1`: cdktf writes a 0 operand as `undefined`.)
      onlyIf: Token.isUnresolved(ruleArns) ? (Token.asAny(Op.gte(Fn.lengthOf(ruleArns), 1)) as unknown as boolean) : undefined,
    });
  }
  return statements;
}
