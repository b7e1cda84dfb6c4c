import type { ProcessorConfig } from "./config";
import type { InvalidRecord, ObjectRef } from "./core/object-ref";
import { batchItemFailures, parseQueueEvent } from "./core/queue-event";
import { failedResults, processRecords } from "./process-event";
import type { Dependencies } from "./ports";

/**
 * A batch of the event queue (EventBridge delivery): each message's object version is processed
 * exactly as a notification's, with the same idempotent, sequencer-ordered saves. The answer
 * names the messages whose record failed, so only those return to the queue (and, after its
 * receive count, go to its dead-letter queue); a message with an unreadable body is recorded
 * with its reason and leaves the queue.
 */
export async function processQueueEvent(event: { Records: Record<string, unknown>[] }, deps: Dependencies, config: ProcessorConfig) {
  const messages = parseQueueEvent(event);
  const messageOf = new Map<ObjectRef | InvalidRecord, string>(messages.map(({ parsed, messageId }) => [parsed, messageId]));
  const objects = messages.flatMap(({ parsed }) => ("reason" in parsed ? [] : [parsed]));
  const invalid = messages.flatMap(({ parsed }) => ("reason" in parsed ? [parsed] : []));
  const summary = await processRecords(objects, invalid, deps, config);
  const failed = failedResults(summary).map((result) => messageOf.get("ref" in result ? result.ref : result.record)!);
  return { summary, response: batchItemFailures(failed) };
}
