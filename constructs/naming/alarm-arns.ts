import type { Construct } from "constructs";
import { Fn, ref } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/**
 * Every alarm under `scope`, as a map of alarm name to ARN (`zipmap` of the alarms' splats): a
 * counted alarm (an opt-in part of the module) is in it only when it exists, as a splat of a
 * resource without `count` is the one-element list of it.
 */
export function alarmArnsUnder(scope: Construct): Record<string, string> {
  const alarms = scope.node.findAll().filter((c): c is CloudwatchMetricAlarm => c instanceof CloudwatchMetricAlarm);
  const splat = (attribute: string) => Fn.concat(alarms.map((alarm) => ref(`${alarm.fqn}[*].${attribute}`)));
  return Fn.zipmap(splat("alarm_name"), splat("arn")) as unknown as Record<string, string>;
}
