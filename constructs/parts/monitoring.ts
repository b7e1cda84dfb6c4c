import { Construct } from "constructs";
import { Fn, Op, TerraformLocal, Token } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { METRICS, TELEMETRY } from "../../functions/image-processor/environment";
import { AwsContext } from "../support/aws-context";
import { PERIOD_SECONDS, dashboardBody } from "./dashboard";
import { DEFAULTS } from "../config/defaults";
import type { AlarmNames } from "../interface/names";
import type { AlarmThresholds } from "../config/alarm-thresholds";
import { known, rangeProblems, show, throwIfInvalid } from "../config/rules";
import { times } from "../support/tokens";
import { okActionsOf } from "./notifications";
import { planTimeSwitches } from "../support/plan-time";

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
  readonly functionName: string;
  readonly tableName: string;
  readonly bucketName: string;
  readonly deadLetterQueueName: string;
  /** What every alarm runs on ALARM (the notifications topic, or `alarmActions`); on OK, those that notify (okActionsOf). */
  readonly alarmActions: readonly string[];
  /**
   * The derivatives part, charted below the rest.
   * @default none
   */
  readonly derivatives?: {
    readonly functionName: string;
    readonly queueName: string;
    readonly deadLetterQueueName: string;
  };
  /**
   * EventBridge delivery's queue and dead-letter queue, charted beside the processor's.
   * @default none
   */
  readonly eventQueue?: {
    readonly queueName: string;
    readonly deadLetterQueueName: string;
  };
}

export interface AlarmSpec {
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: "Sum" | "Maximum";
  readonly dimensions: Record<string, string>;
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
    const fn = { FunctionName: props.functionName };
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

    const alarm = (alarmId: string, spec: AlarmSpec) => metricAlarm(this, alarmId, spec, props.alarmActions);

    this.alarms = {
      errors: alarm("ErrorsAlarm", {
        name: names.alarms.errors,
        description: "The image processor failed invocations; failed events go to the dead-letter queue after retries",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        statistic: "Sum",
        dimensions: fn,
        threshold: thresholds.lambdaErrors,
      }),
      throttles: alarm("ThrottlesAlarm", {
        name: names.alarms.throttles,
        description: "The image processor is throttled; events wait and may age into the dead-letter queue",
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        statistic: "Sum",
        dimensions: fn,
        threshold: thresholds.lambdaThrottles,
      }),
      duration: alarm("DurationAlarm", {
        name: names.alarms.duration,
        description: known(share)
          ? `The image processor's slowest invocation used over ${Math.round(share * 100)}% of its timeout`
          : // The same words, the share known at plan time only (a module variable).
            Token.asString(
              Fn.format("The image processor's slowest invocation used over %d%% of its timeout", [Fn.floor(Op.mul(share, 100))]),
            ),
        namespace: "AWS/Lambda",
        metricName: "Duration",
        statistic: "Maximum",
        dimensions: fn,
        threshold: durationThresholdMs(timeoutSeconds, share),
      }),
      deadLetters: alarm("DeadLettersAlarm", {
        name: names.alarms.deadLetters,
        description: "Events the image processor could not handle are waiting in the dead-letter queue",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        dimensions: { QueueName: props.deadLetterQueueName },
        threshold: 0,
      }),
      unreadable: alarm("UnreadableAlarm", {
        name: names.alarms.unreadable,
        description:
          "S3 refused to let the processor read an image for a reason no retry changes (archive storage class, SSE-C, a KMS key it may not use); see the item's Reason",
        namespace: TELEMETRY.metricsNamespace,
        metricName: METRICS.unreadable,
        statistic: "Sum",
        dimensions: { environment: props.environment, service: TELEMETRY.serviceName },
        threshold: 0,
      }),
      // One email per alarm period however many uploads are rejected (the email subscription takes
      // no per-object notice unless asked to): anyone who may upload cannot flood the mailbox.
      rejections: alarm("RejectionsAlarm", {
        name: names.alarms.rejections,
        description:
          "The image processor rejected uploads (not an accepted image, or a content type that lies); list them with `image-pipeline report`, or subscribe a queue to the topic for a notice per object",
        namespace: TELEMETRY.metricsNamespace,
        metricName: METRICS.rejected,
        statistic: "Sum",
        dimensions: { environment: props.environment, service: TELEMETRY.serviceName },
        threshold: 0,
      }),
      // Events Lambda gives up on without handing them to the dead-letter queue: the one way an
      // upload could vanish silently.
      asyncEventsDropped: alarm("AsyncEventsDroppedAlarm", {
        name: names.alarms.asyncEventsDropped,
        description:
          "Lambda dropped asynchronous invocations of the image processor (too old, or retries spent) instead of processing them",
        namespace: "AWS/Lambda",
        metricName: "AsyncEventsDropped",
        statistic: "Sum",
        dimensions: fn,
        threshold: 0,
      }),
      destinationDeliveryFailures: alarm("DestinationDeliveryFailuresAlarm", {
        name: names.alarms.destinationDeliveryFailures,
        description: "Lambda could not deliver failed events of the image processor to the dead-letter queue",
        namespace: "AWS/Lambda",
        metricName: "DestinationDeliveryFailures",
        statistic: "Sum",
        dimensions: fn,
        threshold: 0,
      }),
      tableWriteThrottles: alarm("TableWriteThrottlesAlarm", {
        name: names.alarms.tableWriteThrottles,
        description: "Writes to the image metadata table are throttled",
        namespace: "AWS/DynamoDB",
        metricName: "WriteThrottleEvents",
        statistic: "Sum",
        dimensions: { TableName: props.tableName },
        threshold: thresholds.dynamoWriteThrottles,
      }),
    };

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

/** Milliseconds of Duration at which the duration alarm fires. */
const durationThresholdMs = (timeoutSeconds: number, share: number): number =>
  // A share known at plan time only (a module variable): the same product, as a Terraform expression.
  known(share) ? times(timeoutSeconds, Math.round(share * 1000)) : Token.asNumber(Fn.floor(Op.mul(Op.mul(timeoutSeconds, share), 1000)));
