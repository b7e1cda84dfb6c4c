// Every CloudWatch alarm of the pipeline, each declared once. Its name (names.ts), its Terraform
// address (addresses.ts), the alarm itself (parts/metric-alarm.ts, made by the part that owns what
// it watches), its line on the dashboard (parts/dashboard.ts), the ARN outputs and the counts the
// CLI's cost estimate and diagram report are all derived from these rows.
import { Fn, Op, Token } from "cdktf";
import { METRICS, TELEMETRY } from "../../functions/image-processor/environment";
import type { AlarmThresholds } from "../config/alarm-thresholds";
import { times } from "../support/tokens";
import { type AnyAlarmRow, alarmConstructId, rowsOf } from "./alarm-row";

export { type AlarmRow, type AnyAlarmRow, PERIOD_SECONDS, alarmConstructId, alarmNamesOf } from "./alarm-row";

/** What the processor's alarms watch. */
export interface ProcessorWatched {
  readonly functionName: string;
  readonly tableName: string;
  readonly deadLetterQueueName: string;
  /** The `environment` dimension of the processor's own metrics. */
  readonly environment: string;
}
export interface ProcessorLimits {
  readonly thresholds: Required<AlarmThresholds>;
  readonly timeoutSeconds: number;
}

const processorFunction = (w: ProcessorWatched) => ({ FunctionName: w.functionName });
const processorOwnMetric = (w: ProcessorWatched) => ({ environment: w.environment, service: TELEMETRY.serviceName });

/** The processor's alarms, made by Monitoring (parts/monitoring.ts). */
export const PROCESSOR_ALARMS = rowsOf<ProcessorWatched, ProcessorLimits>()({
  errors: {
    name: "ImageProcessor-Errors",
    address: "errors",
    description: "The image processor failed invocations; failed events go to the dead-letter queue after retries",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    statistic: "Sum",
    dimensions: processorFunction,
    threshold: ({ thresholds }) => thresholds.lambdaErrors,
    chart: "Errors",
  },
  throttles: {
    name: "ImageProcessor-Throttles",
    address: "throttles",
    description: "The image processor is throttled; events wait and may age into the dead-letter queue",
    namespace: "AWS/Lambda",
    metricName: "Throttles",
    statistic: "Sum",
    dimensions: processorFunction,
    threshold: ({ thresholds }) => thresholds.lambdaThrottles,
    chart: "Throttles",
  },
  duration: {
    name: "ImageProcessor-Duration",
    address: "duration",
    description: ({ thresholds: { durationShareOfTimeout: share } }) =>
      !Token.isUnresolved(share)
        ? `The image processor's slowest invocation used over ${Math.round(share * 100)}% of its timeout`
        : // The same words, the share known at plan time only (a module variable).
          Token.asString(
            Fn.format("The image processor's slowest invocation used over %d%% of its timeout", [Fn.floor(Op.mul(share, 100))]),
          ),
    namespace: "AWS/Lambda",
    metricName: "Duration",
    statistic: "Maximum",
    dimensions: processorFunction,
    threshold: ({ thresholds, timeoutSeconds }) => durationThresholdMs(timeoutSeconds, thresholds.durationShareOfTimeout),
    chart: "Max Duration",
  },
  deadLetters: {
    name: "ImageProcessor-DeadLetters",
    address: "dead_letters",
    description: "Events the image processor could not handle are waiting in the dead-letter queue",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    statistic: "Maximum",
    dimensions: (w) => ({ QueueName: w.deadLetterQueueName }),
    threshold: 0,
    chart: "Failed events waiting",
  },
  tableWriteThrottles: {
    name: "DynamoDB-WriteThrottle",
    address: "table_write_throttles",
    description: "Writes to the image metadata table are throttled",
    namespace: "AWS/DynamoDB",
    metricName: "WriteThrottleEvents",
    statistic: "Sum",
    dimensions: (w) => ({ TableName: w.tableName }),
    threshold: ({ thresholds }) => thresholds.dynamoWriteThrottles,
    chart: null,
  },
  unreadable: {
    name: "ImageProcessor-Unreadable",
    address: "unreadable",
    description:
      "S3 refused to let the processor read an image for a reason no retry changes (archive storage class, SSE-C, a KMS key it may not use); see the item's Reason",
    namespace: TELEMETRY.metricsNamespace,
    metricName: METRICS.unreadable,
    statistic: "Sum",
    dimensions: processorOwnMetric,
    threshold: 0,
    chart: "Unreadable",
  },
  // One email per alarm period however many uploads are rejected (the email subscription takes
  // no per-object notice unless asked to): anyone who may upload cannot flood the mailbox.
  rejections: {
    name: "ImageProcessor-Rejections",
    address: "rejections",
    description:
      "The image processor rejected uploads (not an accepted image, or a content type that lies); list them with `image-pipeline report`, or subscribe a queue to the topic for a notice per object",
    namespace: TELEMETRY.metricsNamespace,
    metricName: METRICS.rejected,
    statistic: "Sum",
    dimensions: processorOwnMetric,
    threshold: 0,
    chart: "Rejected",
  },
  // Events Lambda gives up on without handing them to the dead-letter queue: the one way an
  // upload could vanish silently.
  asyncEventsDropped: {
    name: "ImageProcessor-AsyncEventsDropped",
    address: "async_events_dropped",
    description: "Lambda dropped asynchronous invocations of the image processor (too old, or retries spent) instead of processing them",
    namespace: "AWS/Lambda",
    metricName: "AsyncEventsDropped",
    statistic: "Sum",
    dimensions: processorFunction,
    threshold: 0,
    chart: "Dropped async events",
  },
  destinationDeliveryFailures: {
    name: "ImageProcessor-DestinationDeliveryFailures",
    address: "destination_delivery_failures",
    description: "Lambda could not deliver failed events of the image processor to the dead-letter queue",
    namespace: "AWS/Lambda",
    metricName: "DestinationDeliveryFailures",
    statistic: "Sum",
    dimensions: processorFunction,
    threshold: 0,
    chart: "Dead-letter delivery failures",
  },
});

/** What EventBridge delivery's alarms watch: its queues and its rule. */
export interface EventQueueWatched {
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly ruleName: string;
}
export interface EventQueueLimits {
  readonly queueAgeAlarmSeconds: number;
}

/** EventBridge delivery's alarms, made by EventQueue (parts/event-queue.ts). */
export const EVENT_QUEUE_ALARMS = rowsOf<EventQueueWatched, EventQueueLimits>()({
  queueAge: {
    name: "ImageProcessor-EventQueueAge",
    address: "event_queue_age",
    description: "The oldest upload event has waited too long: the processor is failing, throttled or falling behind",
    namespace: "AWS/SQS",
    metricName: "ApproximateAgeOfOldestMessage",
    statistic: "Maximum",
    dimensions: (w) => ({ QueueName: w.queueName }),
    threshold: (limits) => limits.queueAgeAlarmSeconds,
    chart: "Oldest event (s)",
  },
  deadLetters: {
    name: "ImageProcessor-EventDeadLetters",
    address: "event_dead_letters",
    description:
      "Upload events failed on every delivery, or could not reach the event queue, and wait in the event dead-letter queue; `image-pipeline dead-letters redrive --queue events` (or `aws sqs start-message-move-task`) moves them back to the event queue",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    statistic: "Maximum",
    dimensions: (w) => ({ QueueName: w.deadLetterQueueName }),
    threshold: 0,
    chart: "Dead letters",
  },
  // The rule's own failures, which no queue shows: a delivery refused (the queue's policy, its
  // key) goes to the dead-letter queue, and one the dead-letter queue refuses too is lost.
  failedInvocations: {
    name: "ImageProcessor-UploadsFailedInvocations",
    address: "uploads_failed_invocations",
    description:
      "The uploads rule could not deliver events to the event queue (its policy or its key refused them); they went to the event dead-letter queue",
    namespace: "AWS/Events",
    metricName: "FailedInvocations",
    statistic: "Sum",
    dimensions: (w) => ({ RuleName: w.ruleName }),
    threshold: 0,
    chart: null,
  },
  lostEvents: {
    name: "ImageProcessor-UploadsLost",
    address: "uploads_lost",
    description:
      "The uploads rule could deliver events neither to the event queue nor to its dead-letter queue: they are lost; back-fill the bucket (image-pipeline backfill)",
    namespace: "AWS/Events",
    metricName: "InvocationsFailedToBeSentToDlq",
    statistic: "Sum",
    dimensions: (w) => ({ RuleName: w.ruleName }),
    threshold: 0,
    chart: null,
  },
});

/** What the derivatives part's alarms watch: its function and queues. */
export interface DerivativesWatched {
  readonly functionName: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
}
export interface DerivativesLimits {
  readonly lambdaErrors: number;
  readonly queueAgeAlarmSeconds: number;
}

/** The derivatives part's alarms, made by Derivatives (parts/derivatives.ts). */
export const DERIVATIVES_ALARMS = rowsOf<DerivativesWatched, DerivativesLimits>()({
  errors: {
    name: "ImageDerivatives-Errors",
    address: "derivatives_errors",
    description: "The derivatives function failed invocations; their requests return to the queue, then its dead-letter queue",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    statistic: "Sum",
    dimensions: (w) => ({ FunctionName: w.functionName }),
    threshold: (limits) => limits.lambdaErrors,
    chart: "Function errors",
  },
  deadLetters: {
    name: "ImageDerivatives-DeadLetters",
    address: "derivatives_dead_letters",
    description:
      "Derivatives requests failed on every delivery and wait in the derivatives dead-letter queue; move them back with SQS's dead-letter redrive once the cause is fixed",
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    statistic: "Maximum",
    dimensions: (w) => ({ QueueName: w.deadLetterQueueName }),
    threshold: 0,
    chart: "Dead letters",
  },
  queueAge: {
    name: "ImageDerivatives-QueueAge",
    address: "derivatives_queue_age",
    description: "The oldest derivatives request has waited too long: the function is failing, throttled or falling behind",
    namespace: "AWS/SQS",
    metricName: "ApproximateAgeOfOldestMessage",
    statistic: "Maximum",
    dimensions: (w) => ({ QueueName: w.queueName }),
    threshold: (limits) => limits.queueAgeAlarmSeconds,
    chart: "Oldest request (s)",
  },
});

/** Each part's alarms by the construct id of the part that makes them (the first step of their construct path). */
export const ALARM_CATALOG = { Monitoring: PROCESSOR_ALARMS, Events: EVENT_QUEUE_ALARMS, Derivatives: DERIVATIVES_ALARMS } as const;

/** Every alarm's Terraform name by its construct path under the pipeline (for ADDRESSES). */
export const ALARM_ADDRESSES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ALARM_CATALOG).flatMap(([part, rows]) =>
    Object.entries<AnyAlarmRow>(rows).map(([key, row]) => [`${part}/${alarmConstructId(key)}`, row.address]),
  ),
);

/** How many alarms each part makes: what a deployment has is the sum over the parts it has. */
export const ALARM_COUNTS = {
  processor: Object.keys(PROCESSOR_ALARMS).length,
  eventQueue: Object.keys(EVENT_QUEUE_ALARMS).length,
  derivatives: Object.keys(DERIVATIVES_ALARMS).length,
} as const;

/** Milliseconds of Duration at which the duration alarm fires. */
const durationThresholdMs = (timeoutSeconds: number, share: number): number =>
  // A share known at plan time only (a module variable): the same product, as a Terraform expression.
  !Token.isUnresolved(share)
    ? times(timeoutSeconds, Math.round(share * 1000))
    : Token.asNumber(Fn.floor(Op.mul(Op.mul(timeoutSeconds, share), 1000)));
