import { parseEventBridgeS3Event } from "./eventbridge-event";
import type { InvalidRecord, ObjectRef } from "./object-ref";

/** One message of an SQS batch and what its body announces. */
export interface QueuedRecord {
  readonly messageId: string;
  readonly parsed: ObjectRef | InvalidRecord;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** Whether a payload is a batch from an SQS event source mapping (the event queue of EventBridge delivery). */
export function isQueueEvent(event: unknown): event is { Records: Record<string, unknown>[] } {
  return (
    isObject(event) &&
    Array.isArray(event.Records) &&
    event.Records.length > 0 &&
    event.Records.every((record) => isObject(record) && record.eventSource === "aws:sqs")
  );
}

/** The batch's messages, each with the object version its EventBridge event announces or the reason it announces none. */
export function parseQueueEvent(event: { Records: Record<string, unknown>[] }): QueuedRecord[] {
  return event.Records.map((record, index) => ({
    messageId: String(record.messageId),
    parsed: parseEventBridgeS3Event(record.body, index),
  }));
}

/** An SQS event source mapping's partial batch response: only these messages return to the queue. */
export const batchItemFailures = (messageIds: Iterable<string>) => ({
  batchItemFailures: [...new Set(messageIds)].map((itemIdentifier) => ({ itemIdentifier })),
});
