// The pipeline's monitoring, wired: which alarms the parts it has make (the key and the topic admit
// CloudWatch for those alone), and Monitoring watching its resources.
import type { Construct } from "constructs";
import type { AlarmThresholds } from "../config/alarm-thresholds";
import type { ResourceNames } from "../naming/names";
import type { AwsContext } from "../support/aws-context";
import { Monitoring } from "./monitoring";

/** The optional parts that make alarms of their own. */
export interface AlarmingParts {
  /** EventBridge delivery (its queue and rule). */
  readonly eventBridge: boolean;
  /** The derivatives part, in the pipeline or the module's child module. */
  readonly derivatives: boolean;
}

/** The names of every alarm a pipeline with `parts` has: the processor's, then each part's it has. */
export const pipelineAlarmNames = (names: ResourceNames, parts: AlarmingParts): string[] => [
  ...Object.values(names.alarms),
  ...(parts.eventBridge ? Object.values(names.events.alarms) : []),
  ...(parts.derivatives ? Object.values(names.derivatives.alarms) : []),
];

/** What the pipeline has made, as Monitoring watches it. */
export interface MonitoredPipeline {
  readonly names: ResourceNames;
  /** The instance's name: the `environment` dimension of the functions' own metrics. */
  readonly instanceName: string;
  readonly config: { readonly timeoutSeconds: number; readonly alarmThresholds: AlarmThresholds };
  readonly aws: AwsContext;
  readonly alarmActions: readonly string[];
  readonly processor: { readonly function: { readonly functionName: string } };
  readonly table: { readonly table: { readonly name: string } };
  readonly imageBucket: { readonly name: string };
  readonly deadLetterQueue: { readonly queue: { readonly name: string } };
  /** The derivatives part the pipeline made; charted by its resources. */
  readonly derivatives?: {
    readonly function: { readonly functionName: string };
    readonly queue: { readonly name: string };
    readonly deadLetterQueue: { readonly queue: { readonly name: string } };
  };
  /** EventBridge delivery, when the pipeline made it. */
  readonly events?: object;
}

/**
 * The pipeline's alarms and dashboard, in it as `Monitoring`; with `derivativesModule`, the module's
 * derivatives child module too (which may exist: charted by names, as the module decides).
 */
export function monitorPipeline(p: Construct & MonitoredPipeline, options: { readonly derivativesModule: boolean }): Monitoring {
  const { names } = p;
  return new Monitoring(p, "Monitoring", {
    alarmNames: names.alarms,
    dashboardName: names.dashboard,
    environment: p.instanceName,
    timeoutSeconds: p.config.timeoutSeconds,
    alarmThresholds: p.config.alarmThresholds,
    aws: p.aws,
    functionName: p.processor.function.functionName,
    tableName: p.table.table.name,
    bucketName: p.imageBucket.name,
    deadLetterQueueName: p.deadLetterQueue.queue.name,
    alarmActions: p.alarmActions,
    derivatives: p.derivatives
      ? {
          functionName: p.derivatives.function.functionName,
          queueName: p.derivatives.queue.name,
          deadLetterQueueName: p.derivatives.deadLetterQueue.queue.name,
        }
      : options.derivativesModule
        ? {
            functionName: names.derivatives.function,
            queueName: names.derivatives.queue,
            deadLetterQueueName: names.derivatives.deadLetterQueue,
          }
        : undefined,
    eventQueue:
      p.events !== undefined
        ? { queueName: names.events.queue, deadLetterQueueName: names.events.deadLetterQueue, ruleName: names.events.rule }
        : undefined,
  });
}
