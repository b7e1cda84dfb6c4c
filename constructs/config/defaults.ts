import { DERIVATIVES_DEFAULTS } from "../../functions/image-derivatives/environment";
import { PROCESSOR_DEFAULTS } from "../../functions/image-processor/environment";

/**
 * Every default of the constructs and the pipeline, in one place. A construct applies the
 * default of each prop it is not given; the pipeline's props take the same values, except
 * where the environment decides (see `protectedEnvironments`).
 */
export const DEFAULTS = {
  namePrefix: "",
  memorySize: 256,
  timeoutSeconds: 30,
  logRetentionDays: 30,
  noncurrentVersionExpirationDays: 30,
  abortIncompleteMultipartUploadDays: 7,
  accessLogRetentionDays: 365,
  maxRetryAttempts: 2,
  maxEventAgeSeconds: 3600,
  deadLetterRetentionDays: 14,
  forceDestroy: false,
  deletionProtection: false,
  /** The pipeline's: every environment keeps its data unless it opts out (see ImageProcessingPipelineProps.dataProtection). */
  dataProtection: true,
  emailEveryNotice: false,
  propagateDeletions: true,
  allowUnsubscribedNotifications: false,
  timeIndexName: "UploadDateIndex",
  ...PROCESSOR_DEFAULTS,
  derivatives: {
    memorySize: DERIVATIVES_DEFAULTS.memorySize,
    timeoutSeconds: DERIVATIVES_DEFAULTS.timeoutSeconds,
    maxSourceBytes: DERIVATIVES_DEFAULTS.maxSourceBytes,
    batchSize: DERIVATIVES_DEFAULTS.batchSize,
    maxReceiveCount: DERIVATIVES_DEFAULTS.maxReceiveCount,
    /** Renditions can be made again from the images, so old versions are kept briefly. */
    noncurrentVersionExpirationDays: 7,
    /** A request waiting longer than this (seconds) means the function is falling behind or failing. */
    queueAgeAlarmSeconds: 900,
    /** Concurrent invocations the queue may drive: bounds the account's concurrency, the table's writes and the memory in use (5 × 1.5 GB). */
    maximumConcurrency: 5,
    /** Days a request waits in the queue; shorter than its dead-letter queue's 14, which SQS counts from the first enqueue. */
    queueRetentionDays: 7,
  },
  batchOperations: false,
  /** X-Ray tracing of both functions (Lambda's Active mode, Powertools' Tracer). */
  tracing: true,
  eventDelivery: "s3-notification" as "s3-notification" | "eventbridge",
  /** EventBridge delivery's queue (constructs/parts/event-queue.ts). */
  eventQueue: {
    /** Concurrent invocations the queue may drive: a burst of uploads waits in the queue instead of throttling the table or taking the account's concurrency. */
    maximumConcurrency: 10,
    batchSize: 10,
    /** Deliveries of a message before it goes to the event dead-letter queue. */
    maxReceiveCount: 5,
    /** Days an event waits in the queue; shorter than its dead-letter queue's 14, which SQS counts from the first enqueue. */
    queueRetentionDays: 7,
    /** An event waiting longer than this (seconds) means the processor is failing, throttled or falling behind. */
    queueAgeAlarmSeconds: 900,
  },
  alarmThresholds: {
    lambdaErrors: 5,
    lambdaThrottles: 1,
    dynamoWriteThrottles: 5,
    durationShareOfTimeout: 0.8,
  },
  /** Environments whose data protection cannot be turned off (no force_destroy, whatever the props say). */
  protectedEnvironments: ["prod"] as readonly string[],
} as const;
