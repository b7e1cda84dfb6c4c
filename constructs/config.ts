import { Token } from "cdktf";
import { IMAGE_FORMATS, ImageFormat, PROCESSOR_DEFAULTS } from "../functions/image-processor/environment";

/**
 * Alarm thresholds of the pipeline. Each alarm fires when its metric is
 * strictly greater than the threshold over one 5-minute period.
 */
export interface AlarmThresholds {
  /**
   * Lambda `Errors` (sum over 5 minutes) above which the errors alarm fires.
   * @default 5 (the source design's value)
   */
  readonly lambdaErrors?: number;
  /**
   * Lambda `Throttles` (sum over 5 minutes) above which the throttles alarm fires.
   * @default 1 (the source design's value)
   */
  readonly lambdaThrottles?: number;
  /**
   * DynamoDB `WriteThrottleEvents` (sum over 5 minutes) above which the table alarm fires.
   * @default 5 (the source design's value)
   */
  readonly dynamoWriteThrottles?: number;
  /**
   * Share of the function timeout (0 < x < 1) that the maximum duration may reach
   * before the duration alarm fires.
   * @default 0.8
   */
  readonly durationShareOfTimeout?: number;
}

/** Configuration of one {@link ImageProcessingPipeline}. */
export interface ImageProcessingPipelineProps {
  /**
   * Environment name. It becomes part of every resource name
   * (`image-storage-bucket-<environment>-<account id>`, `ImageMetadata-<environment>`, ...),
   * so it must be a valid piece of an S3 bucket name: lowercase letters, digits and
   * hyphens, starting with a letter, not ending with a hyphen, 1 to 29 characters.
   */
  readonly environment: string;
  /**
   * Email address subscribed to the notifications topic. The subscription must be
   * confirmed from the email AWS sends.
   * @default no email subscription
   */
  readonly notificationEmail?: string;
  /**
   * Lambda memory in MB (128 to 10240). The processor reads at most two bounded
   * windows of each image, so its memory use does not grow with the image size.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Lambda timeout in seconds (1 to 900).
   * @default 30
   */
  readonly timeoutSeconds?: number;
  /**
   * Reserved concurrent executions of the processor (0 to 1000); caps the load it
   * can put on the table and the account's concurrency pool.
   * @default no reservation (uses the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * Retention of the processor's log group in days; one of CloudWatch Logs' allowed values.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Days after which noncurrent object versions are deleted (1 to 3650).
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days after which incomplete multipart uploads are aborted (1 to 365).
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Record S3 server access logs of the image bucket in a separate log bucket
   * (`image-storage-logs-<environment>-<account id>`).
   * @default true in `prod`, false elsewhere
   */
  readonly accessLogging?: boolean;
  /**
   * Days the access logs are kept (1 to 3650).
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * ARN of a customer managed KMS key for the image bucket (SSE-KMS with an S3 bucket key).
   * The processor is granted `kms:Decrypt` on this key only.
   * @default SSE-S3 (AES256)
   */
  readonly bucketKmsKeyArn?: string;
  /**
   * ARN of an IAM policy set as the permissions boundary of the processor's role,
   * for accounts whose guardrails require one.
   * @default no permissions boundary
   */
  readonly rolePermissionsBoundaryArn?: string;
  /**
   * Delete all objects when the bucket is destroyed. Refused for the `prod` environment.
   * @default true outside `prod`, false in `prod`
   */
  readonly forceDestroy?: boolean;
  /**
   * DynamoDB deletion protection of the metadata table.
   * @default true in `prod`, false elsewhere
   */
  readonly deletionProtection?: boolean;
  /**
   * How many times Lambda retries a failed asynchronous invocation (0 to 2) before the
   * event goes to the dead-letter queue.
   * @default 2
   */
  readonly maxRetryAttempts?: number;
  /**
   * Maximum age in seconds of an event waiting for (re)delivery (60 to 21600) before it
   * goes to the dead-letter queue.
   * @default 3600
   */
  readonly maxEventAgeSeconds?: number;
  /**
   * Days the dead-letter queue keeps a failed event (1 to 14).
   * @default 14
   */
  readonly deadLetterRetentionDays?: number;
  /**
   * Bytes of each image the processor reads per ranged GET (1024 to 1048576).
   * @default 65536
   */
  readonly readWindowBytes?: number;
  /**
   * Most ranged GETs the processor makes for one image (1 to 100), the first window included.
   * Enough to follow a JPEG's segments past 1 MB of leading ICC, XMP and EXIF data.
   * @default 24
   */
  readonly maxReadGets?: number;
  /**
   * Most bytes the processor reads of one image (1024 to 16777216, at least `readWindowBytes`).
   * @default 262144 (256 KiB)
   */
  readonly maxReadBytes?: number;
  /**
   * Image formats processed. The bucket notifies the function of their suffixes (`.jpg`, `.jpeg`,
   * `.png`, `.webp`, `.gif`, `.avif`, `.heic`, `.heif`, `.tif`, `.tiff`, in lower and upper case),
   * and any other content is rejected by its bytes. Allowed: jpeg, png, webp, gif, avif, heic, tiff.
   * @default ["jpeg", "png"] (the source design's)
   */
  readonly formats?: readonly ImageFormat[];
  /**
   * Store the GPS coordinates of photos that have them (`GpsLatitude`, `GpsLongitude`).
   * Coordinates are personal data: without this only `HasGps` is recorded.
   * @default false
   */
  readonly recordGpsCoordinates?: boolean;
  /**
   * Largest accepted image in pixels (width × height); larger images are rejected.
   * @default 268402689 (16383 × 16383)
   */
  readonly maxImagePixels?: number;
  /**
   * Also publish a notification for every successfully processed image.
   * @default false (only rejected, missing and failed images are notified)
   */
  readonly notifyOnSuccess?: boolean;
  /**
   * Alarm thresholds.
   * @default see {@link AlarmThresholds}
   */
  readonly alarmThresholds?: AlarmThresholds;
  /**
   * Accept configurations that weaken security (public access, missing encryption, wildcard
   * principals, an unscoped invoke permission), typically made through escape-hatch overrides.
   * Synth then warns instead of failing. Leave off unless a security reviewer has agreed.
   * @default false
   */
  readonly allowInsecureOverrides?: boolean;
  /**
   * Folder holding the bundled processor (`index.js`); zipped at synth into the stack's assets.
   * @default the bundle shipped with this package (`build/image-processor`)
   */
  readonly processorCodeDir?: string;
}

/** Every default of the pipeline, in one place. */
export const DEFAULTS = {
  memorySize: 256,
  timeoutSeconds: 30,
  logRetentionDays: 30,
  noncurrentVersionExpirationDays: 30,
  abortIncompleteMultipartUploadDays: 7,
  accessLogRetentionDays: 365,
  maxRetryAttempts: 2,
  maxEventAgeSeconds: 3600,
  deadLetterRetentionDays: 14,
  ...PROCESSOR_DEFAULTS,
  alarmThresholds: {
    lambdaErrors: 5,
    lambdaThrottles: 1,
    dynamoWriteThrottles: 5,
    durationShareOfTimeout: 0.8,
  },
  /** Environments whose data is protected: no force_destroy, deletion protection on. */
  protectedEnvironments: ["prod"] as readonly string[],
} as const;

/** The pipeline's configuration with every default applied and every value checked. */
export interface ResolvedPipelineConfig {
  readonly environment: string;
  readonly notificationEmail?: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  readonly logRetentionDays: number;
  readonly noncurrentVersionExpirationDays: number;
  readonly abortIncompleteMultipartUploadDays: number;
  readonly accessLogging: boolean;
  readonly accessLogRetentionDays: number;
  readonly bucketKmsKeyArn?: string;
  readonly rolePermissionsBoundaryArn?: string;
  readonly forceDestroy: boolean;
  readonly deletionProtection: boolean;
  readonly maxRetryAttempts: number;
  readonly maxEventAgeSeconds: number;
  readonly deadLetterRetentionDays: number;
  readonly readWindowBytes: number;
  readonly maxReadGets: number;
  readonly maxReadBytes: number;
  readonly formats: readonly ImageFormat[];
  readonly recordGpsCoordinates: boolean;
  readonly maxImagePixels: number;
  readonly notifyOnSuccess: boolean;
  readonly alarmThresholds: Required<AlarmThresholds>;
  readonly allowInsecureOverrides: boolean;
  readonly processorCodeDir?: string;
}

/** Rules shared by the construct's synth-time checks and the Terraform module's `validation` blocks. */
export const RULES = {
  environment: {
    pattern: /^[a-z](?:[a-z0-9-]{0,27}[a-z0-9])?$/,
    allowed:
      "1 to 29 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen",
  },
  notificationEmail: {
    // The source design's AllowedPattern.
    pattern: /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/,
    allowed: "an email address such as ops@example.com",
  },
  logRetentionDays: [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
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
    "alarmThresholds.lambdaErrors": [0, 1_000_000],
    "alarmThresholds.lambdaThrottles": [0, 1_000_000],
    "alarmThresholds.dynamoWriteThrottles": [0, 1_000_000],
  } as Readonly<Record<string, readonly [number, number]>>,
  formats: IMAGE_FORMATS as readonly string[],
  policyArn: {
    pattern: /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@\/-]+$/,
    allowed: "an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)",
  },
  kmsKeyArn: {
    pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    allowed: "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)",
  },
} as const;

/** A configuration value that is out of its allowed set; the message names the field and the allowed values. */
export class PipelineConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid image-processing configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "PipelineConfigError";
  }
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

// Values that are Terraform references (for example module variables) are only known at
// plan time; Terraform `validation` blocks check those instead.
const known = (value: unknown): boolean => value !== undefined && !Token.isUnresolved(value);

/**
 * Applies the defaults and validates every field. Throws one {@link PipelineConfigError}
 * listing every invalid field with its allowed values.
 */
export function resolveConfig(props: ImageProcessingPipelineProps): ResolvedPipelineConfig {
  const problems: string[] = [];
  const { environment } = props;

  if (typeof environment !== "string" || (known(environment) && !RULES.environment.pattern.test(environment))) {
    problems.push(`environment must be ${RULES.environment.allowed}; got ${show(environment)}`);
  }
  if (known(props.notificationEmail) && !RULES.notificationEmail.pattern.test(props.notificationEmail!)) {
    problems.push(`notificationEmail must be ${RULES.notificationEmail.allowed}; got ${show(props.notificationEmail)}`);
  }
  if (known(props.bucketKmsKeyArn) && !RULES.kmsKeyArn.pattern.test(props.bucketKmsKeyArn!)) {
    problems.push(`bucketKmsKeyArn must be ${RULES.kmsKeyArn.allowed}; got ${show(props.bucketKmsKeyArn)}`);
  }
  if (known(props.rolePermissionsBoundaryArn) && !RULES.policyArn.pattern.test(props.rolePermissionsBoundaryArn!)) {
    problems.push(
      `rolePermissionsBoundaryArn must be ${RULES.policyArn.allowed}; got ${show(props.rolePermissionsBoundaryArn)}`,
    );
  }

  const thresholds = { ...DEFAULTS.alarmThresholds, ...props.alarmThresholds };
  const numbers: Record<string, number | undefined> = {
    memorySize: props.memorySize ?? DEFAULTS.memorySize,
    timeoutSeconds: props.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
    reservedConcurrency: props.reservedConcurrency,
    noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays:
      props.abortIncompleteMultipartUploadDays ?? DEFAULTS.abortIncompleteMultipartUploadDays,
    accessLogRetentionDays: props.accessLogRetentionDays ?? DEFAULTS.accessLogRetentionDays,
    maxRetryAttempts: props.maxRetryAttempts ?? DEFAULTS.maxRetryAttempts,
    maxEventAgeSeconds: props.maxEventAgeSeconds ?? DEFAULTS.maxEventAgeSeconds,
    deadLetterRetentionDays: props.deadLetterRetentionDays ?? DEFAULTS.deadLetterRetentionDays,
    readWindowBytes: props.readWindowBytes ?? DEFAULTS.readWindowBytes,
    maxReadGets: props.maxReadGets ?? DEFAULTS.maxReadGets,
    maxReadBytes: props.maxReadBytes ?? DEFAULTS.maxReadBytes,
    maxImagePixels: props.maxImagePixels ?? DEFAULTS.maxImagePixels,
    "alarmThresholds.lambdaErrors": thresholds.lambdaErrors,
    "alarmThresholds.lambdaThrottles": thresholds.lambdaThrottles,
    "alarmThresholds.dynamoWriteThrottles": thresholds.dynamoWriteThrottles,
  };
  for (const [field, value] of Object.entries(numbers)) {
    if (!known(value)) continue;
    const [min, max] = RULES.ranges[field];
    if (!Number.isInteger(value) || value! < min || value! > max) {
      problems.push(`${field} must be an integer from ${min} to ${max}; got ${show(value)}`);
    }
  }

  const { readWindowBytes, maxReadBytes } = numbers;
  if (known(readWindowBytes) && known(maxReadBytes) && maxReadBytes! < readWindowBytes!) {
    problems.push(`maxReadBytes must be at least readWindowBytes (${readWindowBytes}); got ${show(maxReadBytes)}`);
  }
  const formats = props.formats ?? DEFAULTS.formats;
  if (known(formats)) {
    const bad = formats.filter((f) => !RULES.formats.includes(f));
    if (formats.length === 0 || bad.length > 0 || new Set(formats).size !== formats.length) {
      problems.push(`formats must be a non-empty list without repeats of ${RULES.formats.join(", ")}; got ${show(formats)}`);
    }
  }

  const logRetentionDays = props.logRetentionDays ?? DEFAULTS.logRetentionDays;
  if (known(logRetentionDays) && !RULES.logRetentionDays.includes(logRetentionDays)) {
    problems.push(`logRetentionDays must be one of ${RULES.logRetentionDays.join(", ")}; got ${show(logRetentionDays)}`);
  }
  const share = thresholds.durationShareOfTimeout;
  if (known(share) && !(share > 0 && share < 1)) {
    problems.push(`alarmThresholds.durationShareOfTimeout must be a number greater than 0 and less than 1; got ${show(share)}`);
  }

  const isProtected = known(environment) && DEFAULTS.protectedEnvironments.includes(environment);
  const forceDestroy = props.forceDestroy ?? !isProtected;
  if (isProtected && props.forceDestroy === true) {
    problems.push(`forceDestroy must be false for the ${show(environment)} environment: it would delete every image on destroy`);
  }

  if (problems.length > 0) throw new PipelineConfigError(problems);

  return {
    environment,
    notificationEmail: props.notificationEmail,
    memorySize: numbers.memorySize!,
    timeoutSeconds: numbers.timeoutSeconds!,
    reservedConcurrency: props.reservedConcurrency,
    logRetentionDays,
    noncurrentVersionExpirationDays: numbers.noncurrentVersionExpirationDays!,
    abortIncompleteMultipartUploadDays: numbers.abortIncompleteMultipartUploadDays!,
    accessLogging: props.accessLogging ?? isProtected,
    accessLogRetentionDays: numbers.accessLogRetentionDays!,
    bucketKmsKeyArn: props.bucketKmsKeyArn,
    rolePermissionsBoundaryArn: props.rolePermissionsBoundaryArn,
    forceDestroy,
    deletionProtection: props.deletionProtection ?? isProtected,
    maxRetryAttempts: numbers.maxRetryAttempts!,
    maxEventAgeSeconds: numbers.maxEventAgeSeconds!,
    deadLetterRetentionDays: numbers.deadLetterRetentionDays!,
    readWindowBytes: numbers.readWindowBytes!,
    maxReadGets: numbers.maxReadGets!,
    maxReadBytes: numbers.maxReadBytes!,
    formats,
    recordGpsCoordinates: props.recordGpsCoordinates ?? DEFAULTS.recordGpsCoordinates,
    maxImagePixels: numbers.maxImagePixels!,
    notifyOnSuccess: props.notifyOnSuccess ?? DEFAULTS.notifyOnSuccess,
    alarmThresholds: thresholds,
    allowInsecureOverrides: props.allowInsecureOverrides ?? false,
    processorCodeDir: props.processorCodeDir,
  };
}
