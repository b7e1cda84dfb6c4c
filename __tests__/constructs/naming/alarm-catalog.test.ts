import { Testing } from "cdktf";
import {
  ALARM_CATALOG,
  ALARM_COUNTS,
  type AnyAlarmRow,
  DERIVATIVES_ALARMS,
  EVENT_QUEUE_ALARMS,
  PROCESSOR_ALARMS,
  alarmConstructId,
} from "../../../constructs/naming/alarm-catalog";
import { resourceNames } from "../../../constructs/naming/names";
import { ADDRESSES } from "../../../constructs/naming/addresses";
import { addPipelineOutputs } from "../../../constructs/shipping/pipeline-outputs";
import { EnvironmentStack } from "../../../constructs/shipping/environment-stack";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";
import { DerivativesModuleStack } from "../../../constructs/shipping/derivatives-module-stack";
import { EXAMPLE_RENDITIONS } from "../../../functions/image-derivatives/environment";
import { BASE_PROPS } from "../../helpers/synth";

type Alarm = { alarm_name: string; namespace: string; metric_name: string; statistic: string; dimensions: Record<string, string> };

const rowsOf = (part: keyof typeof ALARM_CATALOG) =>
  Object.entries<AnyAlarmRow>(ALARM_CATALOG[part]).map(([key, row]) => ({ part, key, row }));
const ROWS = (Object.keys(ALARM_CATALOG) as (keyof typeof ALARM_CATALOG)[]).flatMap(rowsOf);

describe("the alarm catalog", () => {
  // Every part that makes alarms, in the app's stack: EventBridge delivery and the derivatives part on,
  // and the module's outputs added, whose alarm_arns names every alarm.
  const app = Testing.app();
  const stack = new EnvironmentStack(app, "all", { ...BASE_PROPS, eventDelivery: "eventbridge", derivatives: EXAMPLE_RENDITIONS });
  addPipelineOutputs(stack, stack.pipeline, "module");
  const tf = JSON.parse(Testing.synth(stack));
  const alarms: Record<string, Alarm> = tf.resource.aws_cloudwatch_metric_alarm;
  const names = resourceNames("dev");
  const nameOf = { Monitoring: names.alarms, Events: names.events.alarms, Derivatives: names.derivatives.alarms } as Record<
    string,
    Record<string, string>
  >;
  const lines: unknown[][] = JSON.parse(tf.resource.aws_cloudwatch_dashboard.pipeline.dashboard_body).widgets.flatMap(
    (w: { properties: { metrics: unknown[][] } }) => w.properties.metrics,
  );
  const alarmArns: string = tf.output.alarm_arns.value;

  it("has rows, and a distinct name and address in each", () => {
    expect(ROWS.length).toBe(ALARM_COUNTS.processor + ALARM_COUNTS.eventQueue + ALARM_COUNTS.derivatives);
    expect(new Set(ROWS.map(({ row }) => row.address)).size).toBe(ROWS.length);
    expect(new Set(ROWS.map(({ row }) => row.name)).size).toBe(ROWS.length);
  });

  it("makes exactly the catalog's alarms, no other", () => {
    expect(Object.keys(alarms).sort()).toEqual(ROWS.map(({ row }) => row.address).sort());
  });

  describe.each(ROWS.map((r) => [`${r.part}.${r.key}`, r] as const))("%s", (_, { part, key, row }) => {
    const alarm = alarms[row.address];

    it("reaches its alarm, at its address, with its name, metric and statistic", () => {
      expect(alarm).toMatchObject({
        alarm_name: nameOf[part][key],
        namespace: row.namespace,
        metric_name: row.metricName,
        statistic: row.statistic,
        period: 300,
      });
      expect(nameOf[part][key]).toBe(`${row.name}-dev`);
      expect(ADDRESSES[`${part}/${alarmConstructId(key)}`]).toBe(row.address);
    });

    it(row.chart === null ? "is on no dashboard line, as its row says" : "reaches its dashboard line, labelled as its row says", () => {
      const line = [alarm.namespace, alarm.metric_name, ...Object.entries(alarm.dimensions).flat()];
      const charted = lines.filter((l) => JSON.stringify(l.slice(0, line.length)) === JSON.stringify(line) && l.length === line.length + 1);

      if (row.chart === null) expect(charted).toEqual([]);
      else expect(charted).toContainEqual([...line, { stat: alarm.statistic, label: row.chart }]);
    });

    it("reaches the alarm_arns output, by its name and its ARN", () => {
      expect(alarmArns).toContain(`aws_cloudwatch_metric_alarm.${row.address}[*].alarm_name`);
      expect(alarmArns).toContain(`aws_cloudwatch_metric_alarm.${row.address}[*].arn`);
    });
  });

  it("reaches the module and its derivatives child module, at the same addresses", () => {
    const inModule = (s: ImageProcessingModuleStack | DerivativesModuleStack) =>
      Object.keys(JSON.parse(Testing.synth(s)).resource.aws_cloudwatch_metric_alarm).sort();

    expect(inModule(new ImageProcessingModuleStack(Testing.app(), "module"))).toEqual(
      [...Object.values(PROCESSOR_ALARMS), ...Object.values(EVENT_QUEUE_ALARMS)].map((row) => row.address).sort(),
    );
    expect(inModule(new DerivativesModuleStack(Testing.app(), "derivatives"))).toEqual(
      Object.values(DERIVATIVES_ALARMS)
        .map((row) => row.address)
        .sort(),
    );
  });
});
