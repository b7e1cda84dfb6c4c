import { PutBucketNotificationConfigurationCommand } from "@aws-sdk/client-s3";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { type PumpTally, pumpQueue } from "./event-source-mapping";
import { ACCOUNT, type Harness, type Invoke, isEventQueueAddress } from "./harness";

/** EventBridge delivery of a synthesized stack, created in the emulator beside the pipeline's core. */
export interface EventQueueHarness {
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  /** The rule's pattern as synthesized, resolved: what moto's EventBridge evaluates each S3 event against. */
  readonly pattern: object;
  /** Lambda's SQS event source mapping as the stack configures it (event-source-mapping.ts), until the queue is empty. */
  pump(invokes: Invoke | readonly Invoke[]): Promise<PumpTally>;
}

type Block = Record<string, any>;

function eventResource(h: Harness, type: string, name: string): Block {
  const block = Object.entries(h.tf.resource[type] ?? {}).find(([address]) => address === name && isEventQueueAddress(address))?.[1];
  if (!block) throw new Error(`the stack has no ${type}.${name}: is it synthesized with eventDelivery "eventbridge"?`);
  return block as Block;
}

/**
 * Creates the stack's rule (its synthesized pattern), the event queue with its redrive to the event
 * dead-letter queue (its synthesized receive count and visibility timeout), the rule's target, and
 * turns on the bucket's EventBridge delivery as the stack's notification does. moto then routes
 * each S3 event through EventBridge's pattern matching into the queue.
 */
export async function provisionEventQueue(h: Harness): Promise<EventQueueHarness> {
  const notification = Object.values(h.tf.resource.aws_s3_bucket_notification)[0] as Block;
  if (notification.eventbridge !== true || notification.lambda_function)
    throw new Error("the stack's bucket does not deliver to EventBridge");
  await h.s3.send(
    new PutBucketNotificationConfigurationCommand({ Bucket: h.bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }),
  );

  const queueBlock = eventResource(h, "aws_sqs_queue", "events");
  const dlqBlock = eventResource(h, "aws_sqs_queue", "events_dead_letter");
  const maxReceiveCount = Number(
    /"maxReceiveCount" = (\d+)/.exec(eventResource(h, "aws_sqs_queue_redrive_policy", "events").redrive_policy)?.[1],
  );
  const mapping = eventResource(h, "aws_lambda_event_source_mapping", "processor_events");
  const arn = (name: string) => `arn:aws:sqs:${h.region}:${ACCOUNT}:${name}`;
  const dlq = await h.sqs.send(new CreateQueueCommand({ QueueName: dlqBlock.name }));
  const queue = await h.sqs.send(
    new CreateQueueCommand({
      QueueName: queueBlock.name,
      Attributes: {
        VisibilityTimeout: String(queueBlock.visibility_timeout_seconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn(dlqBlock.name), maxReceiveCount }),
      },
    }),
  );

  const rule = eventResource(h, "aws_cloudwatch_event_rule", "uploads");
  const target = eventResource(h, "aws_cloudwatch_event_target", "uploads");
  const pattern = JSON.parse(h.resolve(rule.event_pattern));
  const events = new EventBridgeClient({
    endpoint: process.env.MOTO_ENDPOINT,
    region: h.region,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  await events.send(new PutRuleCommand({ Name: h.resolve(rule.name), EventPattern: JSON.stringify(pattern) }));
  await events.send(
    new PutTargetsCommand({
      Rule: h.resolve(rule.name),
      Targets: [{ Id: target.target_id, Arn: arn(queueBlock.name), DeadLetterConfig: { Arn: arn(dlqBlock.name) } }],
    }),
  );
  events.destroy();

  return {
    queueUrl: queue.QueueUrl!,
    deadLetterQueueUrl: dlq.QueueUrl!,
    maxReceiveCount,
    batchSize: mapping.batch_size,
    pattern,
    pump: (invokes) =>
      pumpQueue(h.sqs, { url: queue.QueueUrl!, arn: arn(queueBlock.name), region: h.region, batchSize: mapping.batch_size }, invokes),
  };
}
