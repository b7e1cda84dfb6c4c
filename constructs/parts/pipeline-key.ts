import type { Construct } from "constructs";
import type { AwsContext } from "../support/aws-context";
import { givenOrMade, madeUnlessGiven } from "../support/counted";
import { planTimeSwitches } from "../support/plan-time";
import type { PolicyStatement } from "../support/policy-document";
import { EncryptionKey, type EncryptionKeyProps, serviceKeyStatements } from "./encryption-key";

export interface PipelineKeyProps extends Omit<EncryptionKeyProps, "counted" | "aws"> {
  /** A key of the caller's, a literal ARN or a reference (to a key in the same configuration, a variable): no key is made. */
  readonly existingKmsKeyArn?: string;
  readonly aws: AwsContext;
}

/** The key everything of the pipeline is encrypted with: its own, or the caller's. */
export interface PipelineKey {
  /** The key the pipeline made; absent with `existingKmsKeyArn`. */
  readonly key?: EncryptionKey;
  /** ARN of the key in use, made or given. */
  readonly arn: string;
  /** What the key's policy must admit beside IAM: the made key's statements, and what a given key's owner adds. */
  readonly serviceStatements: readonly PolicyStatement[];
}

/** The pipeline's own key, unless one is given (in the module, as `create_kms_key` decides). */
export function pipelineKey(scope: Construct, id: string, props: PipelineKeyProps): PipelineKey {
  const choice = madeUnlessGiven(props.existingKmsKeyArn, planTimeSwitches(scope).createKmsKey);
  const key = choice.makes ? new EncryptionKey(scope, id, { ...props, counted: choice.counted }) : undefined;
  return {
    key,
    arn: givenOrMade(choice, props.existingKmsKeyArn, () => key!.arn),
    serviceStatements: serviceKeyStatements(props.aws, props),
  };
}
