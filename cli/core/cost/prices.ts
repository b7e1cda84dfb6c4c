/**
 * The prices the estimate uses: on-demand list prices of the regions named, in USD, as AWS's
 * pricing pages gave them on `asOf`. Every figure is the first tier's (the volumes where a lower
 * tier starts are far above this pipeline's). AWS bills storage per GB-month where a GB is 2^30
 * bytes (GiB). Update the table, its date and sources together.
 */
export const PRICES = {
  asOf: "2026-12-07",
  /** The regions these figures hold for (they are the same in each). */
  regions: ["us-east-1", "us-east-2", "us-west-2"],
  lambda: {
    source: "https://aws.amazon.com/lambda/pricing/",
    perRequest: 0.2 / 1e6,
    /** Per GB-second of duration, the INIT phase of a cold start included (billed since 2025-08-01). */
    perGbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 },
  },
  s3: {
    source: "https://aws.amazon.com/s3/pricing/",
    standardPerGbMonth: 0.023,
    /** PUT, COPY, POST and LIST requests. */
    putPerRequest: 0.005 / 1000,
    /** GET, SELECT and every other request (HEAD among them); DELETE is free. */
    getPerRequest: 0.0004 / 1000,
  },
  dynamodb: {
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    perWriteRequestUnit: 0.625 / 1e6,
    /** A strongly consistent read of up to 4 KB is one unit; an eventually consistent one half. */
    perReadRequestUnit: 0.125 / 1e6,
    storagePerGbMonth: 0.25,
    /** Continuous backups: billed on the table's size (its indexes are not backed up). */
    pitrPerGbMonth: 0.2,
  },
  sns: { source: "https://aws.amazon.com/sns/pricing/", perPublish: 0.5 / 1e6, perEmail: 2 / 100_000 },
  sqs: { source: "https://aws.amazon.com/sqs/pricing/", perRequest: 0.4 / 1e6 },
  eventbridge: {
    source: "https://aws.amazon.com/eventbridge/pricing/",
    /** S3's object events are "AWS opt-in data events", billed as custom events are. */
    perOptInEvent: 1 / 1e6,
  },
  kms: {
    source: "https://aws.amazon.com/kms/pricing/",
    perKeyMonth: 1,
    /**
     * Each rotation of a key's material (automatic rotation: every `rotation_period_in_days`, 365 by
     * default) adds $1 a month for the first and second rotation; later rotations are not billed.
     */
    perRotationMonth: 1,
    billedRotations: 2,
    perRequest: 0.03 / 10_000,
    /** How SQS asks KMS for data keys: R = B / D × (2P + C) per queue (B billing period, D reuse period, P producers, C consumers). */
    sqsDataKeys: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
  },
  cloudwatch: {
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    perAlarmMetricMonth: 0.1,
    perHighResolutionAlarmMetricMonth: 0.3,
    perDashboardMonth: 3,
    perCustomMetricMonth: 0.3,
    logsIngestedPerGb: 0.5,
    logsStoredPerGbMonth: 0.03,
  },
  xray: { source: "https://aws.amazon.com/xray/pricing/", perTraceRecorded: 5 / 1e6 },
  /**
   * AWS's always-free tier, per account and month (`--free-tier`): shared with whatever else the
   * account runs, so off by default. S3's 12-month tier for new accounts is not applied.
   */
  freeTier: {
    source: "https://aws.amazon.com/free/",
    lambdaRequests: 1e6,
    lambdaGbSeconds: 400_000,
    snsPublishes: 1e6,
    snsEmails: 1000,
    sqsRequests: 1e6,
    kmsRequests: 20_000,
    customMetrics: 10,
    alarmMetrics: 10,
    dashboards: 3,
    /** Logs: 5 GB of ingestion and storage together. */
    logsGb: 5,
    xrayTraces: 100_000,
    dynamodbStorageGb: 25,
  },
} as const;

/** Days in the estimate's month: a year's twelfth. */
export const DAYS_PER_MONTH = 365 / 12;

/** The GB of AWS's storage and transfer prices: 2^30 bytes. */
export const GIB = 2 ** 30;
