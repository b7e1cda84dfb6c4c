// The pipeline's CloudWatch dashboard: one row per concern, the derivatives part's rows when it exists.
import { DERIVATIVES_METRICS, DERIVATIVES_TELEMETRY } from "../../functions/image-derivatives/environment";
import { METRICS, TELEMETRY } from "../../functions/image-processor/environment";
import type { AwsContext } from "../support/aws-context";

/** The period of every alarm and chart. */
export const PERIOD_SECONDS = 300;

/** What the dashboard charts: MonitoringProps' names, and the region of its metrics. */
export type DashboardInputs = {
  readonly aws: AwsContext;
  readonly environment: string;
  readonly functionName: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly deadLetterQueueName: string;
  readonly derivatives?: {
    readonly functionName: string;
    readonly queueName: string;
    readonly deadLetterQueueName: string;
  };
  readonly eventQueue?: { readonly queueName: string; readonly deadLetterQueueName: string };
};

/**
 * The dashboard: the source design's four widgets, with the dimensions inside each metric
 * array and the region set (the source put `dimensions` beside `metrics`, which CloudWatch
 * ignores), plus the dead-letter queue and the processor's own outcome metrics.
 */
export function dashboardBody(props: DashboardInputs): object {
  const { aws } = props;
  const widget = (x: number, y: number, title: string, metrics: unknown[][], extra: object = {}) => ({
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: aws.region, view: "timeSeries", stacked: false, period: PERIOD_SECONDS, metrics, ...extra },
  });
  const fn = ["FunctionName", props.functionName];
  const sqs = (metric: string, queueName: string, label: string) => ["AWS/SQS", metric, "QueueName", queueName, { stat: "Maximum", label }];
  const table = ["TableName", props.tableName];
  const outcome = (metric: string, label: string) => [
    TELEMETRY.metricsNamespace,
    metric,
    "environment",
    props.environment,
    "service",
    TELEMETRY.serviceName,
    { stat: "Sum", label },
  ];
  return {
    widgets: [
      widget(0, 0, "Lambda Metrics", [
        ["AWS/Lambda", "Invocations", ...fn, { stat: "Sum", label: "Invocations" }],
        ["AWS/Lambda", "Errors", ...fn, { stat: "Sum", label: "Errors" }],
        ["AWS/Lambda", "Throttles", ...fn, { stat: "Sum", label: "Throttles" }],
      ]),
      widget(
        12,
        0,
        "Lambda Duration",
        [
          ["AWS/Lambda", "Duration", ...fn, { stat: "Average", label: "Avg Duration" }],
          ["AWS/Lambda", "Duration", ...fn, { stat: "Maximum", label: "Max Duration" }],
        ],
        { yAxis: { left: { label: "Milliseconds", showUnits: false } } },
      ),
      widget(0, 6, "DynamoDB Capacity", [
        ["AWS/DynamoDB", "ConsumedWriteCapacityUnits", ...table, { stat: "Sum" }],
        ["AWS/DynamoDB", "ConsumedReadCapacityUnits", ...table, { stat: "Sum" }],
      ]),
      widget(
        12,
        6,
        "S3 Objects",
        [
          [
            "AWS/S3",
            "NumberOfObjects",
            "BucketName",
            props.bucketName,
            "StorageType",
            "AllStorageTypes",
            { stat: "Average", label: "Object Count" },
          ],
        ],
        // S3 storage metrics are published once a day.
        { period: 86400 },
      ),
      widget(0, 12, "Dead-letter Queue", [
        [
          "AWS/SQS",
          "ApproximateNumberOfMessagesVisible",
          "QueueName",
          props.deadLetterQueueName,
          { stat: "Maximum", label: "Failed events waiting" },
        ],
      ]),
      widget(0, 18, "Events Lambda could not hand over", [
        ["AWS/Lambda", "AsyncEventsDropped", ...fn, { stat: "Sum", label: "Dropped async events" }],
        ["AWS/Lambda", "DestinationDeliveryFailures", ...fn, { stat: "Sum", label: "Dead-letter delivery failures" }],
      ]),
      widget(12, 12, "Processing Outcomes", [
        outcome(METRICS.processed, "Processed"),
        outcome(METRICS.rejected, "Rejected"),
        outcome(METRICS.missing, "Missing"),
        outcome(METRICS.unreadable, "Unreadable"),
        outcome(METRICS.failed, "Failed"),
        outcome(METRICS.skipped, "Skipped (key without an image suffix)"),
      ]),
      // EventBridge delivery: the events waiting for the processor, and those it gave up on.
      ...(props.eventQueue
        ? [
            widget(12, 18, "Event Queue (EventBridge delivery)", [
              sqs("ApproximateAgeOfOldestMessage", props.eventQueue.queueName, "Oldest event (s)"),
              sqs("ApproximateNumberOfMessagesVisible", props.eventQueue.queueName, "Events waiting"),
              sqs("ApproximateNumberOfMessagesVisible", props.eventQueue.deadLetterQueueName, "Dead letters"),
            ]),
          ]
        : []),
      ...(props.derivatives ? derivativesWidgets(props.derivatives, props.environment, widget) : []),
    ],
  };
}

/** Two rows for the derivatives part: its queue (age, depth, dead letters) and its outcomes. */
function derivativesWidgets(
  d: NonNullable<DashboardInputs["derivatives"]>,
  environment: string,
  widget: (x: number, y: number, title: string, metrics: unknown[][], extra?: object) => object,
): object[] {
  const own = (metric: string, label: string, stat = "Sum") => [
    DERIVATIVES_TELEMETRY.metricsNamespace,
    metric,
    "environment",
    environment,
    "service",
    DERIVATIVES_TELEMETRY.serviceName,
    { stat, label },
  ];
  const fn = ["FunctionName", d.functionName];
  return [
    widget(0, 24, "Derivatives Queue", [
      ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", d.queueName, { stat: "Maximum", label: "Oldest request (s)" }],
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", d.queueName, { stat: "Maximum", label: "Requests waiting" }],
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", d.deadLetterQueueName, { stat: "Maximum", label: "Dead letters" }],
    ]),
    widget(12, 24, "Renditions", [
      own(DERIVATIVES_METRICS.rendered, "Written"),
      own(DERIVATIVES_METRICS.errors, "Errors (too large, undecodable, unreadable, missing)"),
      own(DERIVATIVES_METRICS.failed, "Failed requests (retried)"),
      ["AWS/Lambda", "Errors", ...fn, { stat: "Sum", label: "Function errors" }],
    ]),
    widget(0, 30, "Derivatives Duration", [
      ["AWS/Lambda", "Duration", ...fn, { stat: "Average", label: "Avg batch duration" }],
      ["AWS/Lambda", "Duration", ...fn, { stat: "Maximum", label: "Max batch duration" }],
      own(DERIVATIVES_METRICS.renderTime, "Render time per megapixel (avg)", "Average"),
    ]),
  ];
}
