import { DERIVATIVES_ALARMS, EVENT_QUEUE_ALARMS, PROCESSOR_ALARMS, alarmNamesOf } from "./alarm-catalog";

/**
 * Resource names, kept from the original CloudFormation design so that people moving from the
 * CloudFormation template recognise them. One function per name, so a rename is one edit (the
 * alarms' in the alarm catalog).
 *
 * `prefix` is put verbatim before each name: the pipeline passes `<namePrefix>-`, or nothing.
 */
export const resourceNames = (environment: string, prefix = "") => {
  const name = (base: string) => `${prefix}${base}-${environment}`;
  return {
    bucket: (accountId: string) => `${name("image-storage-bucket")}-${accountId}`,
    logBucket: (accountId: string) => `${name("image-storage-logs")}-${accountId}`,
    table: name("ImageMetadata"),
    topic: name("ImageProcessingNotifications"),
    function: name("ImageProcessor"),
    role: name("ImageProcessor"),
    rolePolicy: name("ImageProcessorPolicy"),
    logGroup: `/aws/lambda/${name("ImageProcessor")}`,
    deadLetterQueue: name("ImageProcessor-DLQ"),
    keyAlias: `alias/${name("image-processing")}`,
    dashboard: name("ImageProcessing"),
    alarms: alarmNamesOf(PROCESSOR_ALARMS, name),
    /** EventBridge delivery (constructs/parts/event-queue.ts): the rule on the default bus, its queue and dead-letter queue. */
    events: {
      rule: name("ImageProcessor-Uploads"),
      queue: name("ImageProcessor-Events"),
      deadLetterQueue: name("ImageProcessor-Events-DLQ"),
      consumePolicy: name("ImageProcessorPolicy-events"),
      alarms: alarmNamesOf(EVENT_QUEUE_ALARMS, name),
    },
    /** S3 Batch Operations for large backfills (constructs/parts/batch-operations.ts): its role and the bucket of manifests and reports. */
    batchOperations: {
      bucket: (accountId: string) => `${name("image-batch-jobs")}-${accountId}`,
      role: name("ImageProcessor-BatchOperations"),
      rolePolicy: name("ImageProcessorPolicy-batch-operations"),
    },
    /** The opt-in derivatives part (constructs/parts/derivatives.ts); its bucket name is shorter than the image bucket's. */
    derivatives: {
      bucket: (accountId: string) => `${name("image-derivatives")}-${accountId}`,
      queue: name("ImageDerivatives"),
      deadLetterQueue: name("ImageDerivatives-DLQ"),
      function: name("ImageDerivatives"),
      role: name("ImageDerivatives"),
      rolePolicy: name("ImageDerivativesPolicy"),
      logGroup: `/aws/lambda/${name("ImageDerivatives")}`,
      alarms: alarmNamesOf(DERIVATIVES_ALARMS, name),
    },
  };
};

export type ResourceNames = ReturnType<typeof resourceNames>;
export type AlarmNames = ResourceNames["alarms"];

/** The longest name AWS accepts for each kind of resource the pipeline names. */
export const NAME_LIMITS = {
  bucket: 63,
  logBucket: 63,
  table: 255,
  topic: 256,
  function: 64,
  role: 64,
  rolePolicy: 128,
  logGroup: 512,
  deadLetterQueue: 80,
  queue: 80,
  keyAlias: 256,
  dashboard: 255,
  alarm: 255,
  eventRule: 64,
} as const;

/** Every name of the pipeline with the limit that applies to it, for an account id of 12 digits. */
export function namesWithLimits(environment: string, prefix = ""): { kind: keyof typeof NAME_LIMITS; name: string }[] {
  const names = resourceNames(environment, prefix);
  const account = "123456789012";
  return [
    { kind: "bucket" as const, name: names.bucket(account) },
    { kind: "logBucket" as const, name: names.logBucket(account) },
    ...(["table", "topic", "function", "role", "rolePolicy", "logGroup", "deadLetterQueue", "keyAlias", "dashboard"] as const).map(
      (kind) => ({ kind, name: names[kind] }),
    ),
    ...Object.values(names.alarms).map((name) => ({ kind: "alarm" as const, name })),
    { kind: "eventRule" as const, name: names.events.rule },
    { kind: "queue" as const, name: names.events.queue },
    { kind: "deadLetterQueue" as const, name: names.events.deadLetterQueue },
    { kind: "rolePolicy" as const, name: names.events.consumePolicy },
    ...Object.values(names.events.alarms).map((name) => ({ kind: "alarm" as const, name })),
    { kind: "bucket" as const, name: names.batchOperations.bucket(account) },
    { kind: "role" as const, name: names.batchOperations.role },
    { kind: "rolePolicy" as const, name: names.batchOperations.rolePolicy },
    { kind: "bucket" as const, name: names.derivatives.bucket(account) },
    { kind: "queue" as const, name: names.derivatives.queue },
    { kind: "deadLetterQueue" as const, name: names.derivatives.deadLetterQueue },
    ...(["function", "role", "rolePolicy", "logGroup"] as const).map((kind) => ({ kind, name: names.derivatives[kind] })),
    ...Object.values(names.derivatives.alarms).map((name) => ({ kind: "alarm" as const, name })),
  ];
}

/**
 * Most characters the prefix (with its hyphen) and the environment may have together: what the
 * tightest name leaves. Each name holds both exactly once, so the room is the same for every split.
 */
export const MAX_QUALIFIER_LENGTH = Math.min(...namesWithLimits("").map(({ kind, name }) => NAME_LIMITS[kind] - name.length));

/** Where in the Batch Operations jobs bucket each kind of object goes; the CLI and the role agree on these. */
export const BATCH_PREFIXES = { manifests: "manifests/", inventory: "inventory/", reports: "reports/" } as const;

/** Days the jobs bucket keeps manifests and completion reports. */
export const BATCH_OBJECT_DAYS = 30;
