import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Invoke } from "./harness";

/** What a pump did: batches handed over, messages reported failed (or in a failed invocation), invocations that threw. */
export interface PumpTally {
  batches: number;
  failedMessages: number;
  invocationErrors: number;
}

/**
 * Lambda's SQS event source mapping, as a stack configures it: batches of up to `batchSize`, the
 * failed messages of a partial batch response left on the queue (made visible again at once, to
 * keep the test short), and SQS's own redrive to the dead-letter queue after the queue's receive
 * count, with one poller per function instance given (Lambda scales the pollers out too). Runs
 * until the queue is empty.
 */
export async function pumpQueue(
  sqs: SQSClient,
  queue: { url: string; arn: string; region: string; batchSize: number },
  invokes: Invoke | readonly Invoke[],
): Promise<PumpTally> {
  const tally: PumpTally = { batches: 0, failedMessages: 0, invocationErrors: 0 };
  const receive = () =>
    sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: queue.batchSize,
        VisibilityTimeout: 60,
        AttributeNames: ["All"],
      }),
    );

  async function poll(invoke: Invoke) {
    for (;;) {
      const { Messages = [] } = await receive();
      if (Messages.length === 0) {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.url,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
          }),
        );
        if (Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      tally.batches++;
      const event = {
        Records: Messages.map((m) => ({
          messageId: m.MessageId,
          receiptHandle: m.ReceiptHandle,
          body: m.Body,
          attributes: m.Attributes,
          messageAttributes: {},
          eventSource: "aws:sqs",
          eventSourceARN: queue.arn,
          awsRegion: queue.region,
        })),
      };
      let failed: Set<string>;
      try {
        const response = await invoke(event);
        failed = new Set((response.batchItemFailures ?? []).map((f: { itemIdentifier: string }) => f.itemIdentifier));
      } catch {
        // A thrown invocation fails the whole batch.
        tally.invocationErrors++;
        failed = new Set(Messages.map((m) => m.MessageId!));
      }
      tally.failedMessages += failed.size;
      const done = Messages.filter((m) => !failed.has(m.MessageId!));
      const retry = Messages.filter((m) => failed.has(m.MessageId!));
      if (done.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queue.url,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
      if (retry.length > 0) {
        await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queue.url,
            Entries: retry.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
          }),
        );
      }
    }
  }

  await Promise.all([invokes].flat().map((invoke) => poll(invoke)));
  return tally;
}
