import type { Rendition } from "../../functions/image-derivatives/environment";
import { renditionProblems } from "../../functions/image-derivatives/core/renditions";
import type { ImageFormat } from "../../functions/image-processor/environment";
import { type DerivativesSettings, resolveDerivativesSettings } from "./derivatives-settings";
import { DEFAULTS } from "./defaults";
import type { AlarmThresholds } from "./alarm-thresholds";
import type { ExistingBucket, ImageProcessingPipelineProps } from "./pipeline-props";
import { existingBucketProblems } from "./existing-bucket";
import { ineffectivePropProblems } from "./ineffective-props";
import { type TopicSubscription, type VpcPlacement, estateProblems } from "./estate-settings";
import { resolveProcessorSettings } from "./processor-settings";
import { type EventDelivery, type EventQueueSettings, resolveEventQueueSettings } from "./event-queue-settings";
import {
  RULES,
  concurrencyProblems,
  known,
  patternProblems,
  rangeProblems,
  reservedPrefixProblems,
  show,
  tagProblems,
  throwIfInvalid,
} from "./rules";

/** The pipeline's configuration with every default applied and every value checked. */
export interface ResolvedPipelineConfig {
  readonly environment: string;
  readonly namePrefix: string;
  readonly tags: Record<string, string>;
  readonly notificationEmail?: string;
  readonly emailEveryNotice: boolean;
  readonly allowUnsubscribedNotifications: boolean;
  readonly dataProtection: boolean;
  readonly propagateDeletions: boolean;
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
  readonly tracing: boolean;
  readonly rolePolicyArns: readonly string[];
  /** The renditions; absent or empty: no derivatives part. */
  readonly derivatives?: readonly Rendition[];
  readonly derivativesCodeDir?: string;
  readonly derivativesSettings: Required<DerivativesSettings>;
  /** A literal, or a reference (a module variable) decided at plan time. */
  readonly eventDelivery: EventDelivery;
  readonly eventQueue: Required<EventQueueSettings>;
  /** A literal, or a reference (the module's batch_operations) decided at plan time. */
  readonly batchOperations: boolean;
  /** The bucket the pipeline processes without owning it; absent: it makes its own. */
  readonly existingBucket?: ExistingBucket;
  /** Empty: the pipeline's topic. */
  readonly alarmActions: readonly string[];
  readonly subscriptions: readonly TopicSubscription[];
  readonly vpc?: VpcPlacement;
  readonly existingKmsKeyArn?: string;
}

/**
 * Applies the defaults and validates every field. Throws one {@link PipelineConfigError}
 * listing every invalid field with its allowed values.
 */
export function resolveConfig(props: ImageProcessingPipelineProps): ResolvedPipelineConfig {
  const { environment } = props;
  const namePrefix = props.namePrefix ?? DEFAULTS.namePrefix;
  const problems: string[] = [];

  if (typeof environment !== "string") problems.push(`environment must be ${RULES.environment.allowed}; got ${show(environment)}`);
  else problems.push(...patternProblems("environment", environment, RULES.environment));
  if (known(namePrefix) && namePrefix !== "") {
    problems.push(...patternProblems("namePrefix", namePrefix, RULES.namePrefix), ...reservedPrefixProblems(namePrefix));
  }
  problems.push(...tagProblems(props.tags));
  if (typeof environment === "string" && known(environment) && known(namePrefix)) {
    const length = (namePrefix ? namePrefix.length + 1 : 0) + environment.length;
    if (length > RULES.namePrefix.maxWithEnvironment) {
      problems.push(
        `namePrefix and environment must have at most ${RULES.namePrefix.maxWithEnvironment} characters together, the prefix's hyphen included, ` +
          `or the bucket name exceeds S3's 63; got ${show(namePrefix)} and ${show(environment)} (${length})`,
      );
    }
  }
  problems.push(
    ...patternProblems("notificationEmail", props.notificationEmail, RULES.notificationEmail),
    ...patternProblems("bucketKmsKeyArn", props.bucketKmsKeyArn, RULES.kmsKeyArn),
  );

  const processor = resolveProcessorSettings(props);
  problems.push(...processor.problems);
  const thresholds = { ...DEFAULTS.alarmThresholds, ...props.alarmThresholds };
  const numbers = {
    noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays: props.abortIncompleteMultipartUploadDays ?? DEFAULTS.abortIncompleteMultipartUploadDays,
    accessLogRetentionDays: props.accessLogRetentionDays ?? DEFAULTS.accessLogRetentionDays,
    deadLetterRetentionDays: props.deadLetterRetentionDays ?? DEFAULTS.deadLetterRetentionDays,
  };
  problems.push(
    ...rangeProblems({
      ...numbers,
      "alarmThresholds.lambdaErrors": thresholds.lambdaErrors,
      "alarmThresholds.lambdaThrottles": thresholds.lambdaThrottles,
      "alarmThresholds.dynamoWriteThrottles": thresholds.dynamoWriteThrottles,
    }),
  );

  const derivatives = resolveDerivativesSettings(props.derivativesSettings);
  problems.push(...derivatives.problems);
  const events = resolveEventQueueSettings(props.eventDelivery, props.eventQueue);
  problems.push(...events.problems, ...existingBucketProblems(props, events.eventDelivery), ...estateProblems(props));
  problems.push(...concurrencyProblems(events.eventDelivery, props.reservedConcurrency, events.settings.maximumConcurrency));
  if (known(props.derivatives)) problems.push(...renditionProblems(props.derivatives ?? []));

  const share = thresholds.durationShareOfTimeout;
  if (known(share) && !(share > 0 && share < 1)) {
    problems.push(`alarmThresholds.durationShareOfTimeout must be a number greater than 0 and less than 1; got ${show(share)}`);
  }

  const alwaysProtected = known(environment) && DEFAULTS.protectedEnvironments.includes(environment);
  const dataProtection = props.dataProtection ?? DEFAULTS.dataProtection;
  const forceDestroy = props.forceDestroy ?? !dataProtection;
  if (alwaysProtected && props.forceDestroy === true) {
    problems.push(`forceDestroy must be false for the ${show(environment)} environment: it would delete every image on destroy`);
  }
  if (alwaysProtected && props.dataProtection === false) {
    problems.push(`dataProtection must be true for the ${show(environment)} environment; a disposable environment needs another name`);
  }
  // A bucket the pipeline does not own has its owner's logging.
  const accessLogging = props.accessLogging ?? (dataProtection && props.existingBucket === undefined);
  problems.push(...ineffectivePropProblems(props, { eventDelivery: events.eventDelivery, accessLogging, dataProtection }));

  throwIfInvalid(problems);

  return {
    ...processor.settings,
    ...numbers,
    environment,
    namePrefix,
    tags: props.tags ?? {},
    notificationEmail: props.notificationEmail,
    emailEveryNotice: props.emailEveryNotice ?? DEFAULTS.emailEveryNotice,
    allowUnsubscribedNotifications: props.allowUnsubscribedNotifications ?? DEFAULTS.allowUnsubscribedNotifications,
    dataProtection,
    propagateDeletions: props.propagateDeletions ?? DEFAULTS.propagateDeletions,
    accessLogging,
    bucketKmsKeyArn: props.bucketKmsKeyArn,
    forceDestroy,
    deletionProtection: props.deletionProtection ?? dataProtection,
    alarmThresholds: thresholds,
    allowInsecureOverrides: props.allowInsecureOverrides ?? false,
    ...(props.derivatives === undefined || (known(props.derivatives) && props.derivatives.length === 0)
      ? {}
      : { derivatives: props.derivatives }),
    derivativesSettings: derivatives.settings,
    derivativesCodeDir: props.derivativesCodeDir,
    eventDelivery: events.eventDelivery,
    eventQueue: events.settings,
    existingBucket: props.existingBucket,
    batchOperations: props.batchOperations ?? DEFAULTS.batchOperations,
    alarmActions: props.alarmActions ?? [],
    subscriptions: props.subscriptions ?? [],
    vpc: props.vpc,
    existingKmsKeyArn: props.existingKmsKeyArn,
  };
}
