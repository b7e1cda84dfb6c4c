// The processor's settings (memory, time, retries, what it accepts and how much it reads), their
// defaults and their validation: shared by the construct, the pipeline's props and the module.
import type { ImageFormat } from "../../functions/image-processor/environment";
import { DEFAULTS } from "./defaults";
import { RULES, formatProblems, known, patternProblems, rangeProblems, retentionProblems, show } from "./rules";

/** How the processor runs and what it accepts. Every field is optional. */
export interface ProcessorSettings {
  /**
   * Lambda memory in MB (128 to 10240). The processor reads bounded windows of each image,
   * so its memory use does not grow with the image size.
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
   * Bytes of each image the processor reads per ranged GET (1024 to 1048576).
   * @default 65536
   */
  readonly readWindowBytes?: number;
  /**
   * Most ranged GETs the processor makes for one image (1 to 100), the first window included.
   * Each read spans four times the one before, so four reach the byte budget through a JPEG's
   * leading ICC, XMP and EXIF data; the rest serve walks that jump (TIFF).
   * @default 8
   */
  readonly maxReadGets?: number;
  /**
   * Most bytes the processor reads of one image (1024 to 16777216, at least `readWindowBytes`).
   * Bounds the memory one image takes, whatever the object's size.
   * @default 2097152 (2 MiB)
   */
  readonly maxReadBytes?: number;
  /**
   * Image formats processed: keys ending in one of their suffixes (`.jpg`, `.jpeg`, `.png`,
   * `.webp`, `.gif`, `.avif`, `.heic`, `.heif`, `.tif`, `.tiff`), in any letter case, are
   * inspected, and any other content is rejected by its bytes. Allowed: jpeg, png, webp, gif,
   * avif, heic, tiff.
   * @default ["jpeg", "png"] (the original CloudFormation design's)
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
   * Also publish a notification for every successfully processed image (rejected and missing
   * images are always notified).
   * @default false (only rejected, missing and failed images are notified)
   */
  readonly notifyOnSuccess?: boolean;
  /**
   * ARN of an IAM policy set as the permissions boundary of the processor's role,
   * for accounts whose guardrails require one.
   * @default no permissions boundary
   */
  readonly rolePermissionsBoundaryArn?: string;
  /**
   * ARNs of IAM policies attached to the functions' roles (the processor's and the derivatives
   * function's) beside their own least-privilege policies: an organisation's mandatory policies, or
   * access a VPC placement or a custom layer needs. At most 10 (IAM's default quota of managed
   * policies per role, the pipeline attaching none itself). Each a literal or a reference (a policy in
   * the same configuration).
   * @remarks Attachments are keyed by the ARN when every ARN is a literal, else by index.
   * @default none
   */
  readonly rolePolicyArns?: readonly string[];
  /**
   * X-Ray tracing of the functions (Lambda's Active tracing, and Powertools' Tracer around the SDK
   * clients). Off: PassThrough, no Tracer loaded, and no X-Ray grant in the roles.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Folder holding the bundled processor (`index.js`); zipped at synth into the stack's assets.
   * @default the bundle shipped with this package (`build/image-processor`)
   */
  readonly processorCodeDir?: string;
}

/** The processor's settings with defaults applied, and the problems of the invalid ones (field and allowed values). */
export function resolveProcessorSettings(props: ProcessorSettings) {
  const settings = {
    memorySize: props.memorySize ?? DEFAULTS.memorySize,
    timeoutSeconds: props.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
    reservedConcurrency: props.reservedConcurrency,
    maxRetryAttempts: props.maxRetryAttempts ?? DEFAULTS.maxRetryAttempts,
    maxEventAgeSeconds: props.maxEventAgeSeconds ?? DEFAULTS.maxEventAgeSeconds,
    readWindowBytes: props.readWindowBytes ?? DEFAULTS.readWindowBytes,
    maxReadGets: props.maxReadGets ?? DEFAULTS.maxReadGets,
    maxReadBytes: props.maxReadBytes ?? DEFAULTS.maxReadBytes,
    maxImagePixels: props.maxImagePixels ?? DEFAULTS.maxImagePixels,
  };
  const logRetentionDays = props.logRetentionDays ?? DEFAULTS.logRetentionDays;
  const formats = props.formats ?? DEFAULTS.formats;
  const problems = [
    ...rangeProblems(settings),
    ...retentionProblems(logRetentionDays),
    ...formatProblems(formats),
    ...patternProblems("rolePermissionsBoundaryArn", props.rolePermissionsBoundaryArn, RULES.policyArn),
    ...policyArnsProblems(props.rolePolicyArns),
  ];
  if (known(settings.readWindowBytes) && known(settings.maxReadBytes) && settings.maxReadBytes < settings.readWindowBytes) {
    problems.push(`maxReadBytes must be at least readWindowBytes (${settings.readWindowBytes}); got ${show(settings.maxReadBytes)}`);
  }
  return {
    problems,
    settings: {
      ...settings,
      logRetentionDays,
      formats,
      recordGpsCoordinates: props.recordGpsCoordinates ?? DEFAULTS.recordGpsCoordinates,
      notifyOnSuccess: props.notifyOnSuccess ?? DEFAULTS.notifyOnSuccess,
      rolePermissionsBoundaryArn: props.rolePermissionsBoundaryArn,
      processorCodeDir: props.processorCodeDir,
      tracing: props.tracing ?? DEFAULTS.tracing,
      rolePolicyArns: props.rolePolicyArns ?? [],
    },
  };
}

/** Problems of a known list of policy ARNs to attach; an ARN that is a reference is the module's or the plan's to check. */
function policyArnsProblems(arns: readonly string[] | undefined): string[] {
  if (!known(arns)) return [];
  const bad = arns!.filter((arn) => known(arn) && !RULES.policyArn.pattern.test(arn));
  return bad.length > 0 || arns!.length > 10
    ? [`rolePolicyArns must be a list of at most 10 policy ARNs, each ${RULES.policyArn.allowed}; got ${show(arns)}`]
    : [];
}
