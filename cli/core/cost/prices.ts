/**
 * The prices the estimate uses: on-demand list prices of the regions named, in USD, as AWS's
 * pricing pages gave them on `asOf`. No free tier is applied and every figure is the first tier's
 * (the volumes where a lower tier starts are far above this pipeline's). Update the table, its
 * date and sources together.
 */
export const PRICES = {
  asOf: "2026-12-01",
  /** The regions these figures hold for (they are the same in each). */
  regions: ["us-east-1", "us-east-2", "us-west-2"],
  lambda: {
    source: "https://aws.amazon.com/lambda/pricing/",
    perRequest: 0.2 / 1e6,
    perGbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 },
  },
  s3: {
    source: "https://aws.amazon.com/s3/pricing/",
    standardPerGbMonth: 0.023,
    putPerRequest: 0.005 / 1000,
    getPerRequest: 0.0004 / 1000,
  },
  dynamodb: {
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    perWriteRequestUnit: 0.625 / 1e6,
    perReadRequestUnit: 0.125 / 1e6,
    storagePerGbMonth: 0.25,
    pitrPerGbMonth: 0.2,
  },
  sns: { source: "https://aws.amazon.com/sns/pricing/", perPublish: 0.5 / 1e6, perEmail: 2 / 100_000 },
  sqs: { source: "https://aws.amazon.com/sqs/pricing/", perRequest: 0.4 / 1e6 },
  eventbridge: {
    source: "https://aws.amazon.com/eventbridge/pricing/",
    /** S3's object events are "AWS opt-in data events", billed as custom events are. */
    perOptInEvent: 1 / 1e6,
  },
  kms: { source: "https://aws.amazon.com/kms/pricing/", perKeyMonth: 1, perRequest: 0.03 / 10_000 },
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
} as const;

/** Days in the estimate's month: a year's twelfth. */
export const DAYS_PER_MONTH = 365 / 12;
