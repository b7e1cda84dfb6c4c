import { Token } from "cdktf";
import { IMAGE_FORMATS } from "../../functions/image-processor/environment";
import { MAX_QUALIFIER_LENGTH } from "../naming/names";

/**
 * What each setting accepts. The constructs check their props against these at synth; the
 * Terraform module's `validation` blocks are generated from the same rules.
 */
/** An email address, as the original CloudFormation design's AllowedPattern has it. */
const EMAIL = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/;

export const RULES = {
  environment: {
    pattern: /^[a-z](?:[a-z0-9-]{0,27}[a-z0-9])?$/,
    allowed: "1 to 29 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
  },
  namePrefix: {
    pattern: /^[a-z](?:[a-z0-9-]{0,26}[a-z0-9])?$/,
    allowed:
      "empty, or lowercase letters, digits or hyphens, starting with a letter, not ending with a hyphen, and not starting with xn--, sthree- or amzn-s3-demo-",
    /** The prefix, its hyphen and the environment together; the bucket name's 63 characters leave this much. */
    maxWithEnvironment: MAX_QUALIFIER_LENGTH,
    /**
     * The prefix begins every bucket name, and S3 refuses bucket names that begin with these ("General
     * purpose bucket naming rules", https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html);
     * a regular expression cannot say "not starting with" in Terraform's RE2, so they are a list of their own.
     */
    reservedPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"] as readonly string[],
  },
  tags: {
    // AWS's limits for tags ("Tag restrictions", e.g. https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html):
    // 50 a resource (some of the pipeline's resources carry their own Purpose tag, so one fewer), keys of
    // 1 to 128 characters and values of at most 256, letters, digits, spaces and _ . : / = + - @, and no
    // key starting with aws: in any case (reserved for AWS). Checked where the tags are given, not per
    // resource at apply time after other resources exist.
    maxCount: 49,
    keyMaxLength: 128,
    valueMaxLength: 256,
    characters: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    reservedKeyPrefix: "aws:",
    allowed:
      "at most 49 tags, keys of 1 to 128 and values of at most 256 letters, digits, spaces or _ . : / = + - @, no key starting with aws:",
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

export { PipelineConfigError, throwIfInvalid } from "../support/config-error";

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

/**
 * With EventBridge delivery, the event source mapping runs up to its maximum concurrency of the
 * processor; a reservation below it makes Lambda throttle the queue's batches back onto the queue
 * (each a receive, towards the dead-letter queue) instead of bounding the load.
 */
export function concurrencyProblems(eventDelivery: string, reserved: number | undefined, maximumConcurrency: number): string[] {
  if (eventDelivery !== "eventbridge" || !known(reserved) || !known(maximumConcurrency) || reserved! >= maximumConcurrency) return [];
  return [
    `reservedConcurrency must be at least eventQueue.maximumConcurrency (${maximumConcurrency}) with EventBridge delivery, or Lambda throttles the event queue's batches; got ${show(reserved)}`,
  ];
}

/** Problems of a known prefix that S3 reserves at the start of bucket names. */
export function reservedPrefixProblems(namePrefix: string | undefined): string[] {
  if (!known(namePrefix)) return [];
  const reserved = RULES.namePrefix.reservedPrefixes.find((prefix) => namePrefix!.startsWith(prefix));
  return reserved
    ? [`namePrefix must be ${RULES.namePrefix.allowed} (S3 reserves ${reserved} for bucket names); got ${show(namePrefix)}`]
    : [];
}

/** Problems of known tags against AWS's limits. */
export function tagProblems(tags: Readonly<Record<string, string>> | undefined): string[] {
  if (!known(tags)) return [];
  const rule = RULES.tags;
  const entries = Object.entries(tags!).filter(([key, value]) => known(key) && known(value));
  const bad = entries.filter(
    ([key, value]) =>
      key.length < 1 ||
      key.length > rule.keyMaxLength ||
      value.length > rule.valueMaxLength ||
      !rule.characters.test(key) ||
      !rule.characters.test(value) ||
      key.toLowerCase().startsWith(rule.reservedKeyPrefix),
  );
  if (Object.keys(tags!).length <= rule.maxCount && bad.length === 0) return [];
  const which = bad.length > 0 ? `; got ${bad.map(([key]) => show(key)).join(", ")}` : `; got ${Object.keys(tags!).length} tags`;
  return [`tags must be ${rule.allowed}${which}`];
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
