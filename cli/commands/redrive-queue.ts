// `image-pipeline dead-letters redrive --queue derivatives|events`: what SQS's own dead-letter redrive
// does, for the pipeline's queue-fed parts: each dead letter goes back to the queue it failed from,
// unchanged, and leaves the dead-letter queue only once that queue has it.
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from "@aws-sdk/client-sqs";
import type { AwsClients } from "../aws";
import { EXIT } from "../errors";
import { type Io, line } from "../io";
import type { ReplayOptions } from "./replay-dead-letters";

export interface RedriveQueues {
  /** What the queue feeds, for messages ("derivatives requests"). */
  readonly what: string;
  readonly deadLetterQueueUrl: string;
  readonly queueUrl: string;
}

/** Moves dead letters back to their queue, at most `max`; a dry run counts them and leaves them visible again. */
export async function redriveQueue(aws: AwsClients, queues: RedriveQueues, options: ReplayOptions, io: Io): Promise<number> {
  const { deadLetterQueueUrl: from, queueUrl: to } = queues;
  const counts = { received: 0, replayed: 0, failed: 0 };
  const seen = new Set<string>();
  const held: Message[] = [];
  await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: from, AttributeNames: ["ApproximateNumberOfMessages"] }));
  try {
    while (!io.signal.aborted && (options.max === undefined || counts.received < options.max)) {
      const room = options.max === undefined ? 10 : Math.min(10, options.max - counts.received);
      const batch = await aws.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: from,
          MaxNumberOfMessages: room,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 300,
          MessageAttributeNames: ["All"],
        }),
      );
      const messages = (batch.Messages ?? []).filter((m) => !seen.has(m.MessageId!));
      if (messages.length === 0) break;
      for (const m of messages) seen.add(m.MessageId!);
      counts.received += messages.length;
      if (options.dryRun) {
        held.push(...messages);
        counts.replayed += messages.length;
        continue;
      }
      const sent = await aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: to,
          Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body!, MessageAttributes: m.MessageAttributes })),
        }),
      );
      const ok = new Set((sent.Successful ?? []).map((s) => Number(s.Id)));
      for (const failure of sent.Failed ?? [])
        line(io.stderr, `message ${messages[Number(failure.Id)].MessageId} left in the dead-letter queue: ${failure.Message}`);
      const moved = messages.filter((_, i) => ok.has(i));
      held.push(...messages.filter((_, i) => !ok.has(i)));
      counts.failed += messages.length - moved.length;
      if (moved.length > 0) {
        await aws.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: from,
            Entries: moved.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      counts.replayed += moved.length;
    }
  } finally {
    for (let i = 0; i < held.length; i += 10) {
      await aws.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: from,
          Entries: held.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
  if (options.json) line(io.stdout, JSON.stringify({ ...counts, left: 0, dryRun: options.dryRun, interrupted: io.signal.aborted }));
  else {
    const verb = options.dryRun ? "would move back" : "moved back";
    line(
      io.stdout,
      `received ${counts.received} dead ${queues.what}: ${verb} ${counts.replayed} to their queue, ${counts.failed} not accepted`,
    );
  }
  if (io.signal.aborted) return EXIT.interrupted;
  return counts.failed > 0 ? EXIT.failed : EXIT.ok;
}
