// One CloudWatch alarm from its spec, and a part's alarms from their catalog rows (naming/alarm-catalog.ts).
import type { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { type AlarmRow, PERIOD_SECONDS, alarmConstructId } from "../naming/alarm-catalog";
import { okActionsOf } from "./notifications";

export interface AlarmSpec {
  /** The alarm's name in CloudWatch. */
  readonly name: string;
  /** What it means when it fires, for whoever receives it. */
  readonly description: string;
  /** The metric's namespace (`AWS/Lambda`, or the processor's own). */
  readonly namespace: string;
  /** The metric's name (`Errors`). */
  readonly metricName: string;
  /** How the period's data points are combined. */
  readonly statistic: "Sum" | "Maximum";
  /** The metric's dimensions (`{ FunctionName: ... }`). */
  readonly dimensions: Record<string, string>;
  /** The value the statistic must exceed, over one 5-minute period, for the alarm to fire. */
  readonly threshold: number;
}

/** One alarm over one 5-minute period, strictly above its threshold, with ALARM and OK sent to `actions` (the topic, or `alarmActions`). */
export const metricAlarm = (scope: Construct, id: string, spec: AlarmSpec, actions: readonly string[]) =>
  new CloudwatchMetricAlarm(scope, id, {
    alarmName: spec.name,
    alarmDescription: spec.description,
    namespace: spec.namespace,
    metricName: spec.metricName,
    statistic: spec.statistic,
    dimensions: spec.dimensions,
    period: PERIOD_SECONDS,
    evaluationPeriods: 1,
    threshold: spec.threshold,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    // As given: a list token (the module's alarm_actions) must not be copied element by element.
    alarmActions: actions as string[],
    okActions: okActionsOf(actions) as string[],
  });

/** What a part gives to make its alarms: their names, what they watch, their limits, and their actions. */
export interface CatalogAlarmsInputs<Key extends string, Watched, Limits> {
  readonly names: Readonly<Record<Key, string>>;
  readonly watched: Watched;
  readonly limits: Limits;
  readonly actions: readonly string[];
}

/** Every alarm of `rows` in `scope`, in the rows' order, each with the construct id its address is keyed by. */
export function catalogAlarms<Key extends string, Watched, Limits>(
  scope: Construct,
  rows: Record<Key, AlarmRow<Watched, Limits>>,
  { names, watched, limits, actions }: CatalogAlarmsInputs<Key, Watched, Limits>,
): Record<Key, CloudwatchMetricAlarm> {
  const made = (Object.entries(rows) as [Key, AlarmRow<Watched, Limits>][]).map(([key, row]) => {
    const spec: AlarmSpec = {
      name: names[key],
      description: typeof row.description === "string" ? row.description : row.description(limits),
      namespace: row.namespace,
      metricName: row.metricName,
      statistic: row.statistic,
      dimensions: row.dimensions(watched),
      threshold: typeof row.threshold === "number" ? row.threshold : row.threshold(limits),
    };
    return [key, metricAlarm(scope, alarmConstructId(key), spec, actions)] as const;
  });
  return Object.fromEntries(made) as Record<Key, CloudwatchMetricAlarm>;
}
