// The pipeline's CloudWatch dashboard: one row per concern, the derivatives part's rows when it exists.
import { DERIVATIVES_METRICS, DERIVATIVES_TELEMETRY } from "../../functions/image-derivatives/environment";
import { METRICS, TELEMETRY } from "../../functions/image-processor/environment";
import type { AwsContext } from "../support/aws-context";
import {
  type AlarmRow,
  DERIVATIVES_ALARMS,
  type DerivativesWatched,
  EVENT_QUEUE_ALARMS,
  type EventQueueWatched,
  PERIOD_SECONDS,
  PROCESSOR_ALARMS,
} from "../naming/alarm-catalog";

/** What the dashboard charts: MonitoringProps' names, and the region of its metrics. */
export type DashboardInputs = {
  readonly aws: AwsContext;
  readonly environment: string;
  readonly functionName: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly deadLetterQueueName: string;
  readonly derivatives?: DerivativesWatched;
  readonly eventQueue?: EventQueueWatched;
};

type Widget = (x: number | undefined, y: number | undefined, title: string, metrics: unknown[][], extra?: object) => object;

/** An alarm's metric as a chart line: its namespace, name, dimensions and statistic, labelled as its row says. */
const lineOf = <Watched>(row: AlarmRow<Watched, never>, watched: Watched): unknown[] => [
  row.namespace,
  row.metricName,
  ...Object.entries(row.dimensions(watched)).flat(),
  { stat: row.statistic, label: row.chart },
];

/**
 * The dashboard: the original CloudFormation design's four widgets, with the dimensions inside each metric
 * array and the region set (the source put `dimensions` beside `metrics`, which CloudWatch
 * ignores), plus the dead-letter queue and the processor's own outcome metrics.
 */
export function dashboardBody(props: DashboardInputs): object {
  const { aws } = props;
  const widget: Widget = (x, y, title, metrics, extra = {}) => ({
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: aws.region, view: "timeSeries", stacked: false, period: PERIOD_SECONDS, metrics, ...extra },
  });
  const fn = ["FunctionName", props.functionName];
  const sqs = (metric: string, queueName: string, label: string) => ["AWS/SQS", metric, "QueueName", queueName, { stat: "Maximum", label }];
  // Each alarm's line where a widget places it; the lines no widget places go to a widget of their own.
  const placed = new Set<object>();
  const alarm = <Watched>(row: AlarmRow<Watched, never>, watched: Watched) => {
    placed.add(row);
    return lineOf(row, watched);
  };
  const processor = (key: keyof typeof PROCESSOR_ALARMS) => alarm(PROCESSOR_ALARMS[key], props);
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
        processor("errors"),
        processor("throttles"),
      ]),
      widget(
        12,
        0,
        "Lambda Duration",
        [["AWS/Lambda", "Duration", ...fn, { stat: "Average", label: "Avg Duration" }], processor("duration")],
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
      widget(0, 12, "Dead-letter Queue", [processor("deadLetters")]),
      widget(0, 18, "Events Lambda could not hand over", [processor("asyncEventsDropped"), processor("destinationDeliveryFailures")]),
      widget(12, 12, "Processing Outcomes", [
        outcome(METRICS.processed, "Processed"),
        processor("rejections"),
        outcome(METRICS.missing, "Missing"),
        processor("unreadable"),
        outcome(METRICS.failed, "Failed"),
        outcome(METRICS.skipped, "Skipped (key without an image suffix)"),
      ]),
      // EventBridge delivery: the events waiting for the processor, and those it gave up on.
      ...(props.eventQueue
        ? [
            widget(12, 18, "Event Queue (EventBridge delivery)", [
              alarm(EVENT_QUEUE_ALARMS.queueAge, props.eventQueue),
              sqs("ApproximateNumberOfMessagesVisible", props.eventQueue.queueName, "Events waiting"),
              alarm(EVENT_QUEUE_ALARMS.deadLetters, props.eventQueue),
            ]),
          ]
        : []),
      ...(props.derivatives ? derivativesWidgets(props.derivatives, props.environment, widget, alarm) : []),
      ...unplacedAlarmsWidget(props, placed, widget),
    ],
  };
}

/**
 * One widget for the charted alarms no widget above places (a new alarm, until it is given a place),
 * where CloudWatch finds room for it: no alarm the catalog charts is missing from the dashboard.
 */
function unplacedAlarmsWidget(props: DashboardInputs, placed: ReadonlySet<object>, widget: Widget): object[] {
  const lines = <Watched>(rows: Record<string, AlarmRow<Watched, never>>, watched: Watched | undefined) =>
    watched === undefined
      ? []
      : Object.values(rows)
          .filter((row) => row.chart !== null && !placed.has(row))
          .map((row) => lineOf(row, watched));
  const metrics = [
    ...lines(PROCESSOR_ALARMS, props),
    ...lines(EVENT_QUEUE_ALARMS, props.eventQueue),
    ...lines(DERIVATIVES_ALARMS, props.derivatives),
  ];
  return metrics.length === 0 ? [] : [widget(undefined, undefined, "More alarms", metrics)];
}

/** Two rows for the derivatives part: its queue (age, depth, dead letters) and its outcomes. */
function derivativesWidgets(
  d: DerivativesWatched,
  environment: string,
  widget: Widget,
  alarm: <Watched>(row: AlarmRow<Watched, never>, watched: Watched) => unknown[],
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
      alarm(DERIVATIVES_ALARMS.queueAge, d),
      ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", d.queueName, { stat: "Maximum", label: "Requests waiting" }],
      alarm(DERIVATIVES_ALARMS.deadLetters, d),
    ]),
    widget(12, 24, "Renditions", [
      own(DERIVATIVES_METRICS.rendered, "Written"),
      own(DERIVATIVES_METRICS.errors, "Errors (too large, undecodable, unreadable, missing)"),
      own(DERIVATIVES_METRICS.failed, "Failed requests (retried)"),
      alarm(DERIVATIVES_ALARMS.errors, d),
    ]),
    widget(0, 30, "Derivatives Duration", [
      ["AWS/Lambda", "Duration", ...fn, { stat: "Average", label: "Avg batch duration" }],
      ["AWS/Lambda", "Duration", ...fn, { stat: "Maximum", label: "Max batch duration" }],
      own(DERIVATIVES_METRICS.renderTime, "Render time per megapixel (avg)", "Average"),
    ]),
  ];
}
