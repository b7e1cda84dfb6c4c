import { InvokeCommand } from "@aws-sdk/client-lambda";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { AwsClients } from "../aws";
import { functionNameOf, keysOf, parseFailureRecord } from "../core/dead-letter";
import { type Deployment, need } from "../deployment";
import { EXIT } from "../errors";
import { type Io, line } from "../io";
import { progressBar } from "../progress";

export interface ReplayOptions {
  /** Most messages to replay. */
  readonly max?: number;
  readonly dryRun: boolean;
  readonly json: boolean;
}

/**
 * Brings failed events back: each dead letter's original event is invoked again, and the message
 * is deleted only once Lambda accepted that invocation. Messages that are not this function's
 * failure records are left in the queue and named.
 */
export async function replayDeadLetters(aws: AwsClients, deployment: Deployment, options: ReplayOptions, io: Io): Promise<number> {
  const queue = deployment.deadLetterQueueUrl;
  const attributes = await need("dead-letter queue", queue, deployment, () =>
    aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ["ApproximateNumberOfMessages"] })),
  );
  const waiting = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
  const counts = { received: 0, replayed: 0, left: 0, failed: 0 };
  const seen = new Set<string>();
  // Messages this run will not delete: put back (visible) at the end, so the queue keeps them as they were.
  const held: Message[] = [];
  const bar = progressBar(io, "messages", ["replayed", "left"]);
  bar.start(options.max === undefined ? waiting : Math.min(waiting, options.max));

  try {
    while (!io.signal.aborted && (options.max === undefined || counts.received < options.max)) {
      const room = options.max === undefined ? 10 : Math.min(10, options.max - counts.received);
      // Hidden while this run handles it; what it leaves is made visible again at the end.
      const batch = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: room, WaitTimeSeconds: 1, VisibilityTimeout: 300 }),
      );
      const messages = (batch.Messages ?? []).filter((m) => !seen.has(m.MessageId!));
      if (messages.length === 0) break;
      for (const message of messages) {
        seen.add(message.MessageId!);
        counts.received++;
        await replayOne(message);
      }
      bar.update(counts.received, { replayed: counts.replayed, left: counts.left });
    }
  } finally {
    bar.stop();
    for (const message of held) {
      await aws.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: queue, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }),
      );
    }
  }

  async function replayOne(message: Message) {
    const record = parseFailureRecord(message.Body);
    if ("problem" in record) {
      held.push(message);
      counts.left++;
      line(io.stderr, `message ${message.MessageId} left in the queue: not a Lambda failure record (${record.problem})`);
      return;
    }
    if (functionNameOf(record.functionArn) !== deployment.functionName) {
      held.push(message);
      counts.left++;
      line(
        io.stderr,
        `message ${message.MessageId} left in the queue: it failed in ${record.functionArn}, not in ${deployment.functionName}`,
      );
      return;
    }
    const what = `message ${message.MessageId} (${record.condition}, ${keysOf(record.requestPayload).join(", ") || "no keys"})`;
    if (options.dryRun) {
      held.push(message);
      if (!options.json) line(io.stdout, `would replay ${what}${record.errorMessage ? `: ${record.errorMessage}` : ""}`);
      counts.replayed++;
      return;
    }
    try {
      const answer = await aws.lambda.send(
        new InvokeCommand({
          FunctionName: deployment.functionName,
          InvocationType: "Event",
          Payload: Buffer.from(JSON.stringify(record.requestPayload)),
        }),
      );
      if (answer.StatusCode !== 202) throw new Error(`Lambda answered ${answer.StatusCode}`);
    } catch (error) {
      held.push(message);
      counts.failed++;
      line(io.stderr, `${what} left in the queue: the invocation was not accepted (${(error as Error).message})`);
      return;
    }
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: message.ReceiptHandle! }));
    counts.replayed++;
    if (!options.json) line(io.stdout, `replayed ${what}`);
  }

  if (options.json) line(io.stdout, JSON.stringify({ ...counts, dryRun: options.dryRun, interrupted: io.signal.aborted }));
  else {
    const verb = options.dryRun ? "would replay" : "replayed";
    line(
      io.stdout,
      `received ${counts.received} dead letters: ${verb} ${counts.replayed}, left ${counts.left} in the queue, ${counts.failed} invocations not accepted`,
    );
  }
  if (io.signal.aborted) return EXIT.interrupted;
  return counts.failed > 0 || counts.left > 0 ? EXIT.failed : EXIT.ok;
}
