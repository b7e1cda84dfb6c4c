import { Construct } from "constructs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { AwsContext } from "../support/aws-context";
import { DEFAULTS } from "../config/defaults";
import { type PolicyStatement, denyInsecureTransport, policyJson } from "../support/policy-document";
import { Counted } from "../support/counted";
import { rangeProblems, throwIfInvalid } from "../config/rules";
import { times } from "../support/tokens";

export interface DeadLetterQueueProps {
  /** Name of the queue. */
  readonly queueName: string;
  /**
   * Customer managed KMS key that encrypts the queue.
   * @default SQS managed encryption (SSE-SQS)
   */
  readonly kmsKeyArn?: string;
  /**
   * Days the queue keeps a failed event (1 to 14).
   * @default 14
   */
  readonly deadLetterRetentionDays?: number;
  /**
   * Account, region and partition, for the queue's ARN in its policy.
   * @default read from the provider in scope by an AwsContext of this construct's own
   */
  readonly aws?: AwsContext;
  /**
   * Statements of the queue policy beside its TLS-only denial, given the queue's ARN: who else may
   * send failed messages here (EventBridge, for a rule's target).
   * @default none
   */
  readonly policyStatements?: (queueArn: string) => PolicyStatement[];
  /**
   * Whether the queue exists, when Terraform decides (a part counted in or out).
   * @default the queue is made
   */
  readonly counted?: Counted;
}

/**
 * Where an S3 event goes when the processor has failed on it after Lambda's retries
 * (or it grew too old): the on-failure destination of the function's asynchronous
 * invocations. Each message holds the original event and the error, ready to redrive.
 *
 * @example
 * ```ts
 * const failed = new DeadLetterQueue(stack, "Failed", { queueName: "image-processing-dlq-dev" });
 * // failed.queue.arn is the processor's on-failure destination
 * ```
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const retentionDays = props.deadLetterRetentionDays ?? DEFAULTS.deadLetterRetentionDays;
    throwIfInvalid(rangeProblems({ deadLetterRetentionDays: retentionDays }));

    this.queue = new SqsQueue(this, "Queue", {
      name: props.queueName,
      messageRetentionSeconds: times(retentionDays, 86400),
      ...(props.kmsKeyArn
        ? // Reuse a data key for 5 minutes rather than calling KMS for every message.
          { kmsMasterKeyId: props.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
        : { sqsManagedSseEnabled: true }),
    });

    // From the queue's name, which the plan knows on create (its `arn` only after apply), so the policy shows in full.
    const aws = props.aws ?? new AwsContext(this, "Aws");
    const counted = props.counted ?? new Counted();
    const arn = aws.arn("sqs", counted.attribute(this.queue, "name"));
    const policy = policyJson([denyInsecureTransport("sqs:*", [arn]), ...(props.policyStatements?.(arn) ?? [])]);
    new SqsQueuePolicy(this, "Policy", { queueUrl: counted.attribute(this.queue, "url"), policy });
  }
}
