import { renditionProblems } from "../../functions/image-derivatives/core/renditions";
import { type DerivativesSettings, resolveDerivativesSettings } from "./derivatives-settings";
import { DEFAULTS } from "./defaults";
import type { AlarmThresholds } from "./alarm-thresholds";
import type { ImageProcessingPipelineProps } from "./pipeline-props";
import { existingBucketProblems } from "./existing-bucket";
import { ineffectivePropProblems } from "./ineffective-props";
import { bringYourOwnProblems } from "./estate-settings";
import { resolveProcessorSettings } from "./processor-settings";
import { type EventQueueSettings, resolveEventQueueSettings } from "./event-queue-settings";
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

/** The props whose absence means none (no email, no reservation, no key...): never defaulted. */
export type PropsNoneWhenAbsent =
  | "notificationEmail"
  | "reservedConcurrency"
  | "bucketKmsKeyArn"
  | "rolePermissionsBoundaryArn"
  | "processorCodeDir"
  | "derivatives"
  | "derivativesCodeDir"
  | "existingBucket"
  | "vpc"
  | "existingKmsKeyArn"
  | "inventoryKmsKeyArn";

/**
 * The pipeline's configuration with every default applied and every value checked: the props
 * (pipeline-props.ts), each given or defaulted, but for those whose absence means none.
 */
export type ResolvedPipelineConfig = Required<
  Omit<
    ImageProcessingPipelineProps,
    | PropsNoneWhenAbsent
    // Read by the pipeline itself, not through its configuration.
    | "provider"
    | "readableAddresses"
    // Groups, resolved field by field below.
    | "derivativesSettings"
    | "eventQueue"
    | "alarmThresholds"
  >
> &
  Pick<ImageProcessingPipelineProps, PropsNoneWhenAbsent> & {
    readonly derivativesSettings: Required<DerivativesSettings>;
    readonly eventQueue: Required<EventQueueSettings>;
    readonly alarmThresholds: Required<AlarmThresholds>;
  };

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
    ...patternProblems("inventoryKmsKeyArn", props.inventoryKmsKeyArn, RULES.kmsKeyArn),
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
  problems.push(...events.problems, ...existingBucketProblems(props, events.eventDelivery), ...bringYourOwnProblems(props));
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
    inventoryKmsKeyArn: props.inventoryKmsKeyArn,
    alarmActions: props.alarmActions ?? [],
    subscriptions: props.subscriptions ?? [],
    vpc: props.vpc,
    existingKmsKeyArn: props.existingKmsKeyArn,
  };
}
