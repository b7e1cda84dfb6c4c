import { Construct } from "constructs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { ResolvedPipelineConfig } from "./config";
import { resourceNames } from "./names";
import { denyInsecureTransport, policyDocument } from "./policy-document";
import { times } from "./tokens";

export interface DeadLetterQueueProps {
  readonly config: ResolvedPipelineConfig;
  /** Customer managed key that encrypts the queue. */
  readonly kmsKeyArn: string;
}

/**
 * Where an S3 event goes when the processor has failed on it after Lambda's retries
 * (or it grew too old): the on-failure destination of the function's asynchronous
 * invocations. Each message holds the original event and the error, ready to redrive.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string, { config, kmsKeyArn }: DeadLetterQueueProps) {
    super(scope, id);

    this.queue = new SqsQueue(this, "Queue", {
      name: resourceNames(config.environment).deadLetterQueue,
      messageRetentionSeconds: times(config.deadLetterRetentionDays, 86400),
      kmsMasterKeyId: kmsKeyArn,
      // Reuse a data key for 5 minutes rather than calling KMS for every message.
      kmsDataKeyReusePeriodSeconds: 300,
    });

    const document = policyDocument(this, "PolicyDocument", [
      denyInsecureTransport("sqs:*", [this.queue.arn]),
    ]);
    new SqsQueuePolicy(this, "Policy", { queueUrl: this.queue.url, policy: document.json });
  }
}
