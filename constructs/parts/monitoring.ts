import { Construct } from "constructs";
import { Fn, TerraformLocal, Token } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { AwsContext } from "../support/aws-context";
import { dashboardBody } from "./dashboard";
import { DEFAULTS } from "../config/defaults";
import type { AlarmNames } from "../naming/names";
import type { AlarmThresholds } from "../config/alarm-thresholds";
import { known, rangeProblems, show, throwIfInvalid } from "../config/rules";
import { planTimeSwitches } from "../support/plan-time";
import { PROCESSOR_ALARMS } from "../naming/alarm-catalog";
import { catalogAlarms } from "./metric-alarm";

export interface MonitoringProps {
  /** Names of the alarms; `resourceNames(environment, prefix).alarms` gives the pipeline's. */
  readonly alarmNames: AlarmNames;
  /** Name of the dashboard. */
  readonly dashboardName: string;
  /** Value of the `environment` dimension of the processor's own metrics. */
  readonly environment: string;
  /**
   * The function's timeout in seconds, which the duration alarm's threshold is a share of.
   * @default 30
   */
  readonly timeoutSeconds?: number;
  /**
   * Alarm thresholds.
   * @default see {@link AlarmThresholds}
   */
  readonly alarmThresholds?: AlarmThresholds;
  /**
   * Region of the dashboard's metrics.
   * @default a new {@link AwsContext} in this construct
   */
  readonly aws?: AwsContext;
  /** The processor, whose errors, throttles and duration are watched. */
  readonly functionName: string;
  /** The metadata table, whose write throttles are watched. */
  readonly tableName: string;
  /** The image bucket, whose object count the dashboard charts. */
  readonly bucketName: string;
  /** The processor's dead-letter queue, whose waiting events are watched. */
  readonly deadLetterQueueName: string;
  /** What every alarm runs on ALARM (the notifications topic, or `alarmActions`); on OK, those that notify (okActionsOf). */
  readonly alarmActions: readonly string[];
  /**
   * The derivatives part, charted below the rest.
   * @default none
   */
  readonly derivatives?: {
    /** The derivatives function. */
    readonly functionName: string;
    /** Its requests queue. */
    readonly queueName: string;
    /** Its requests' dead-letter queue. */
    readonly deadLetterQueueName: string;
  };
  /**
   * EventBridge delivery's queue and dead-letter queue, charted beside the processor's, and its rule.
   * @default none
   */
  readonly eventQueue?: {
    /** The event queue. */
    readonly queueName: string;
    /** Its dead-letter queue. */
    readonly deadLetterQueueName: string;
    /** The uploads rule, the dimension of the rule's own alarms. */
    readonly ruleName: string;
  };
}

/**
 * The pipeline's alarms (to the notifications topic) and its CloudWatch dashboard.
 *
 * @example
 * ```ts
 * const names = resourceNames("dev");
 * const topic = new Notifications(stack, "Notifications", { topicName: names.topic });
 * new Monitoring(stack, "Monitoring", {
 *   alarmNames: names.alarms,
 *   dashboardName: names.dashboard,
 *   environment: "dev",
 *   functionName: names.function,
 *   tableName: names.table,
 *   bucketName: "acme-images-dev",
 *   deadLetterQueueName: names.deadLetterQueue,
 *   alarmActions: [topic.topic.arn],
 * });
 * ```
 */
export class Monitoring extends Construct {
  readonly alarms: Record<keyof AlarmNames, CloudwatchMetricAlarm>;
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const names = { alarms: props.alarmNames, dashboard: props.dashboardName };
    const aws = props.aws ?? new AwsContext(this, "Aws");
    const thresholds = { ...DEFAULTS.alarmThresholds, ...props.alarmThresholds };
    const timeoutSeconds = props.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
    const share = thresholds.durationShareOfTimeout;
    throwIfInvalid([
      ...rangeProblems({
        timeoutSeconds,
        "alarmThresholds.lambdaErrors": thresholds.lambdaErrors,
        "alarmThresholds.lambdaThrottles": thresholds.lambdaThrottles,
        "alarmThresholds.dynamoWriteThrottles": thresholds.dynamoWriteThrottles,
      }),
      ...(!known(share) || (share > 0 && share < 1)
        ? []
        : [`alarmThresholds.durationShareOfTimeout must be a number greater than 0 and less than 1; got ${show(share)}`]),
    ]);

    this.alarms = catalogAlarms(this, PROCESSOR_ALARMS, {
      names: names.alarms,
      watched: {
        functionName: props.functionName,
        tableName: props.tableName,
        deadLetterQueueName: props.deadLetterQueueName,
        environment: props.environment,
      },
      limits: { thresholds, timeoutSeconds },
      actions: props.alarmActions,
    });

    this.dashboard = new CloudwatchDashboard(this, "Dashboard", {
      dashboardName: names.dashboard,
      dashboardBody: this.body({ ...props, aws }),
    });
  }

  /**
   * The body, with the rows of each part the module's switch decides on (support/plan-time.ts) or
   * without, as it decides. Each body is a local of its own: a JSON string literal inside an
   * expression would need quoting cdktf does not do.
   */
  private body(props: MonitoringProps & { aws: AwsContext }): string {
    const planned = planTimeSwitches(this);
    const derivatives = props.derivatives && planned.derivatives?.enabled;
    const events = props.eventQueue && planned.eventBridge;
    if (derivatives === undefined && events === undefined) return JSON.stringify(dashboardBody(props));
    const local = (id: string, inputs: MonitoringProps & { aws: AwsContext }) =>
      new TerraformLocal(this, id, JSON.stringify(dashboardBody(inputs))).asString;
    const withoutEvents = { ...props, eventQueue: undefined };
    // The rows of the event queue (on or off), then of the derivatives (on or off), each known or decided.
    const variants = (inputs: MonitoringProps & { aws: AwsContext }, withEvents: boolean) => {
      const withoutDerivatives = withEvents ? "DashboardWithEventQueue" : "DashboardWithoutDerivatives";
      if (derivatives === undefined) return local(withEvents ? "DashboardWithEventQueue" : "DashboardWithoutEventQueue", inputs);
      const withDerivatives = local(`DashboardWithDerivatives${withEvents ? "AndEventQueue" : ""}`, inputs);
      return Token.asString(Fn.conditional(derivatives, withDerivatives, local(withoutDerivatives, { ...inputs, derivatives: undefined })));
    };
    if (events === undefined) return variants(withoutEvents, false);
    return Token.asString(Fn.conditional(events, variants(props, true), variants(withoutEvents, false)));
  }
}
