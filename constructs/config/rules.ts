import { Token } from "cdktf";
import { IMAGE_FORMATS } from "../../functions/image-processor/environment";
import { MAX_QUALIFIER_LENGTH } from "../interface/names";

/**
 * What each setting accepts. The constructs check their props against these at synth; the
 * Terraform module's `validation` blocks are generated from the same rules.
 */
/** An email address, as the source design's AllowedPattern has it. */
const EMAIL = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;

export const RULES = {
  environment: {
    pattern: /^[a-z](?:[a-z0-9-]{0,27}[a-z0-9])?$/,
    allowed: "1 to 29 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
  },
  namePrefix: {
    pattern: /^[a-z](?:[a-z0-9-]{0,26}[a-z0-9])?$/,
    allowed: "empty, or lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
    /** The prefix, its hyphen and the environment together; the bucket name's 63 characters leave this much. */
    maxWithEnvironment: MAX_QUALIFIER_LENGTH,
  },
  notificationEmail: {
    pattern: EMAIL,
    allowed: "an email address such as ops@example.com",
  },
  logRetentionDays: [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
  ] as readonly number[],
  ranges: {
    memorySize: [128, 10240],
    timeoutSeconds: [1, 900],
    reservedConcurrency: [0, 1000],
    noncurrentVersionExpirationDays: [1, 3650],
    abortIncompleteMultipartUploadDays: [1, 365],
    accessLogRetentionDays: [1, 3650],
    maxRetryAttempts: [0, 2],
    maxEventAgeSeconds: [60, 21600],
    deadLetterRetentionDays: [1, 14],
    readWindowBytes: [1024, 1048576],
    maxReadGets: [1, 100],
    maxReadBytes: [1024, 16777216],
    maxImagePixels: [1, 1_000_000_000],
    "derivativesSettings.memorySize": [128, 10240],
    "derivativesSettings.timeoutSeconds": [1, 900],
    "derivativesSettings.maxSourceBytes": [1048576, 1073741824],
    "derivativesSettings.batchSize": [1, 10],
    "derivativesSettings.maxReceiveCount": [1, 10],
    "derivativesSettings.noncurrentVersionExpirationDays": [1, 3650],
    "derivativesSettings.queueAgeAlarmSeconds": [60, 1209600],
    // Lambda's bounds for an SQS event source's maximum concurrency.
    "derivativesSettings.maximumConcurrency": [2, 1000],
    "eventQueue.maximumConcurrency": [2, 1000],
    "eventQueue.batchSize": [1, 10],
    "eventQueue.maxReceiveCount": [1, 100],
    "eventQueue.queueAgeAlarmSeconds": [60, 1209600],
    "alarmThresholds.lambdaErrors": [0, 1_000_000],
    "alarmThresholds.lambdaThrottles": [0, 1_000_000],
    "alarmThresholds.dynamoWriteThrottles": [0, 1_000_000],
  } as Readonly<Record<string, readonly [number, number]>>,
  formats: IMAGE_FORMATS as readonly string[],
  eventDelivery: ["s3-notification", "eventbridge"] as readonly string[],
  policyArn: {
    pattern: /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]+$/,
    allowed: "an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)",
  },
  bucketName: {
    // S3's rules for general purpose buckets: 3 to 63 lowercase letters, digits, dots and hyphens, a letter or digit at each end.
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    allowed: "an S3 bucket name (3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit)",
  },
  kmsKeyArn: {
    pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    allowed: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
  },
  alarmAction: {
    // What CloudWatch can do on a state change: an SNS topic, a Lambda function, an Incident Manager
    // response plan, an Auto Scaling or EC2 action... each an ARN.
    pattern: /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9a-z]*:.+$/,
    allowed: "an ARN CloudWatch alarms can act on (arn:aws:sns:<region>:<account>:<topic>, a Lambda function's, ...)",
    /** CloudWatch's limit of actions per alarm state. */
    max: 5,
  },
  subscription: {
    protocols: ["email", "email-json", "https", "sqs", "lambda"] as readonly string[],
    /** What each protocol's endpoint must look like. */
    endpoints: {
      email: EMAIL,
      "email-json": EMAIL,
      https: /^https:\/\/\S+$/,
      sqs: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/,
      lambda: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/,
    } as Readonly<Record<string, RegExp>>,
    allowed:
      "a list of { protocol, endpoint } with distinct endpoints: email or email-json with an email address, https with an https:// URL, sqs with a queue ARN, lambda with a function ARN",
    /** A subscription's name: its key in Terraform (the module's subscriptions map has these keys). */
    name: {
      pattern: /^[A-Za-z0-9][A-Za-z0-9_.@:-]{0,63}$/,
      allowed: "1 to 64 letters, digits, '_', '.', '@', ':' or '-', starting with a letter or digit",
    },
  },
  subnetId: { pattern: /^subnet-[0-9a-f]{8,17}$/, allowed: "a subnet id (subnet-0123456789abcdef0)" },
  securityGroupId: { pattern: /^sg-[0-9a-f]{8,17}$/, allowed: "a security group id (sg-0123456789abcdef0)" },
} as const;

/** A configuration value that is out of its allowed set; the message names the field and the allowed values. */
export class PipelineConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid image-processing configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "PipelineConfigError";
  }
}

/** Throws one {@link PipelineConfigError} listing every problem, if there is any. */
export function throwIfInvalid(problems: readonly string[]): void {
  if (problems.length > 0) throw new PipelineConfigError(problems);
}

export const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * Whether a value can be checked at synth. Terraform references (for example module variables)
 * are only known at plan time; the module's `validation` blocks check those instead.
 */
export const known = (value: unknown): boolean => value !== undefined && !Token.isUnresolved(value);

/** Problems of the known values among `values`, each checked against its range in {@link RULES}. */
export function rangeProblems(values: Record<string, number | undefined>): string[] {
  return Object.entries(values).flatMap(([field, value]) => {
    if (!known(value)) return [];
    const [min, max] = RULES.ranges[field];
    return Number.isInteger(value) && value! >= min && value! <= max
      ? []
      : [`${field} must be an integer from ${min} to ${max}; got ${show(value)}`];
  });
}

/** Problems of a known value that must match a pattern rule. */
export function patternProblems(field: string, value: string | undefined, rule: { pattern: RegExp; allowed: string }): string[] {
  return known(value) && !rule.pattern.test(value!) ? [`${field} must be ${rule.allowed}; got ${show(value)}`] : [];
}

/** Problems of a known list of image formats. */
export function formatProblems(formats: readonly string[] | undefined): string[] {
  if (!known(formats)) return [];
  const bad = formats!.filter((f) => !RULES.formats.includes(f));
  return formats!.length === 0 || bad.length > 0 || new Set(formats).size !== formats!.length
    ? [`formats must be a non-empty list without repeats of ${RULES.formats.join(", ")}; got ${show(formats)}`]
    : [];
}

/** Problems of a known log retention. */
export function retentionProblems(logRetentionDays: number | undefined): string[] {
  return known(logRetentionDays) && !RULES.logRetentionDays.includes(logRetentionDays!)
    ? [`logRetentionDays must be one of ${RULES.logRetentionDays.join(", ")}; got ${show(logRetentionDays)}`]
    : [];
}
