// How the bucket's events reach the processor, and the settings of EventBridge delivery's queue,
// their defaults and their validation.
import { DEFAULTS } from "./defaults";
import { RULES, known, rangeProblems, show } from "./rules";

/**
 * How the image bucket's events reach the processor:
 * - `s3-notification`: the bucket's notification configuration invokes the function (asynchronous
 *   invocations, Lambda's retries, then the dead-letter queue). The pipeline owns the bucket's
 *   whole notification configuration.
 * - `eventbridge`: the bucket sends its events to EventBridge; a rule on the default bus takes the
 *   images' (by suffix, in any letter case) into an encrypted queue the processor consumes in
 *   batches. Other consumers subscribe their own rules without touching the bucket.
 */
export type EventDelivery = "s3-notification" | "eventbridge";

/** EventBridge delivery's queue and its consumer. Every field is optional. */
export interface EventQueueSettings {
  /**
   * Concurrent invocations the queue may drive (2 to 1000, the event source mapping's maximum
   * concurrency): a burst of uploads waits in the queue instead of throttling the table's writes or
   * taking the account's concurrency.
   * @default 10
   */
  readonly maximumConcurrency?: number;
  /**
   * Events per invocation (1 to 10); a failed one returns to the queue alone.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Deliveries of an event (1 to 100) before it goes to the event dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Age in seconds of the oldest waiting event (60 to 1209600) above which the queue-age alarm fires.
   * @default 900
   */
  readonly queueAgeAlarmSeconds?: number;
}

/** The delivery and the queue's settings with their defaults, and the problems of the invalid ones. */
export function resolveEventQueueSettings(eventDelivery: EventDelivery | undefined, settings: EventQueueSettings = {}) {
  const d = DEFAULTS.eventQueue;
  const resolved: Required<EventQueueSettings> = {
    maximumConcurrency: settings.maximumConcurrency ?? d.maximumConcurrency,
    batchSize: settings.batchSize ?? d.batchSize,
    maxReceiveCount: settings.maxReceiveCount ?? d.maxReceiveCount,
    queueAgeAlarmSeconds: settings.queueAgeAlarmSeconds ?? d.queueAgeAlarmSeconds,
  };
  const delivery = eventDelivery ?? DEFAULTS.eventDelivery;
  const problems = rangeProblems(Object.fromEntries(Object.entries(resolved).map(([k, v]) => [`eventQueue.${k}`, v])));
  if (known(delivery) && !RULES.eventDelivery.includes(delivery)) {
    problems.push(`eventDelivery must be one of ${RULES.eventDelivery.map((d) => JSON.stringify(d)).join(", ")}; got ${show(delivery)}`);
  }
  return { eventDelivery: delivery, settings: resolved, problems };
}
