// A setting of the pipeline (ImageProcessingPipelineProps.alarmThresholds), so it lives with the
// other settings: config/ stands below the parts that read it.

/**
 * Alarm thresholds of the pipeline. Each alarm fires when its metric is
 * strictly greater than the threshold over one 5-minute period.
 */
export interface AlarmThresholds {
  /**
   * Lambda `Errors` of the processor (and of the derivatives function), summed over 5 minutes, above
   * which their errors alarm fires.
   * @default 5 (the original CloudFormation design's value)
   */
  readonly lambdaErrors?: number;
  /**
   * Lambda `Throttles` of the processor (sum over 5 minutes) above which its throttles alarm fires.
   * @default 1 (the original CloudFormation design's value)
   */
  readonly lambdaThrottles?: number;
  /**
   * DynamoDB `WriteThrottleEvents` (sum over 5 minutes) above which the table alarm fires.
   * @default 5 (the original CloudFormation design's value)
   */
  readonly dynamoWriteThrottles?: number;
  /**
   * Share of the function timeout (greater than 0, less than 1) that the maximum duration may reach
   * before the duration alarm fires.
   * @default 0.8
   */
  readonly durationShareOfTimeout?: number;
}
