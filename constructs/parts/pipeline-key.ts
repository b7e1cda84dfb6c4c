import type { Construct } from "constructs";
import type { AwsContext } from "../support/aws-context";
import { givenOrMade, madeUnlessGiven } from "../support/counted";
import { planTimeSwitches } from "../support/plan-time";
import type { PolicyStatement } from "../support/policy-document";
import type { ResourceNames } from "../naming/names";
import { itemsWhen } from "../support/tokens";
import { EncryptionKey, type EncryptionKeyProps, serviceKeyStatements } from "./encryption-key";

export interface PipelineKeyProps extends Omit<EncryptionKeyProps, "counted" | "aws"> {
  /**
   * A key of the caller's, a literal ARN or a reference (to a key in the same configuration, a variable): no key is made.
   * @default a new key is made
   */
  readonly existingKmsKeyArn?: string;
  /** The account, region and partition the key's policy is written for. */
  readonly aws: AwsContext;
  /** Put at the end of each statement's `Sid` for the owner of a given key, so several pipelines' statements merge into one policy. */
  readonly instanceName: string;
}

/** The key everything of the pipeline is encrypted with: its own, or the caller's. */
export interface PipelineKey {
  /** The key the pipeline made; absent with `existingKmsKeyArn`. */
  readonly key?: EncryptionKey;
  /** ARN of the key in use, made or given. */
  readonly arn: string;
  /** What the key's policy must admit beside IAM: the made key's statements, and what a given key's owner adds. */
  readonly serviceStatements: readonly PolicyStatement[];
  /** The service statements with each `Sid` ending in `-<instanceName>`: what a given key's owner adds. */
  readonly ownerStatements: readonly PolicyStatement[];
}

/** The pipeline's own key, unless one is given (in the module, as `create_kms_key` decides). */
export function pipelineKey(scope: Construct, id: string, props: PipelineKeyProps): PipelineKey {
  const choice = madeUnlessGiven(props.existingKmsKeyArn, planTimeSwitches(scope).createKmsKey);
  const key = choice.makes ? new EncryptionKey(scope, id, { ...props, counted: choice.counted }) : undefined;
  const serviceStatements = serviceKeyStatements(props.aws, props);
  return {
    key,
    arn: givenOrMade(choice, props.existingKmsKeyArn, () => key!.arn),
    serviceStatements,
    ownerStatements: serviceStatements.map((s) => ({ ...s, sid: `${s.sid}-${props.instanceName}` })),
  };
}

/**
 * What the pipeline's key serves beside its own resources: the alarms, log groups and rule of the parts
 * the pipeline has, each part's only when it is there (in the module, as the plan counts it in: `on`
 * holds its switches), so a given key's owner admits nothing that does not exist.
 */
export function servedByKey(
  aws: AwsContext,
  names: ResourceNames,
  on: { readonly events: boolean; readonly derivatives: boolean },
): Required<Pick<EncryptionKeyProps, "alarmNames" | "logGroupNames" | "eventRuleArns">> {
  return {
    alarmNames: itemsWhen(
      [true, Object.values(names.alarms)],
      [on.events, Object.values(names.events.alarms)],
      [on.derivatives, Object.values(names.derivatives.alarms)],
    ),
    // The derivatives function's log group too: KMS refuses CloudWatch Logs any group not named here.
    logGroupNames: itemsWhen([true, [names.logGroup]], [on.derivatives, [names.derivatives.logGroup]]),
    eventRuleArns: aws.arns("events", "rule/", itemsWhen([on.events, [names.events.rule]])),
  };
}
