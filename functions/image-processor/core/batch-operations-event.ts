import { BACKFILL_EVENT, BACKFILL_SEQUENCER } from "./backfill";
import type { InvalidRecord, ObjectRef } from "./object-ref";
import { decodeKey, normalizeSequencer } from "./s3-event";

// S3 Batch Operations' LambdaInvoke payloads ("Invoke AWS Lambda function" in the S3 User Guide):
// schema 2.0 names the bucket (`s3Bucket`), 1.0 its ARN (`s3BucketArn`); keys arrive URL-encoded,
// as the manifest holds them. Each task is recorded exactly as a backfill event: the lowest
// sequencer, so it records versions nobody recorded and never replaces an item from a real upload.

/** A task's answer: S3 retries a TemporaryFailure; a PermanentFailure is reported failed with its reason. */
export type BatchResultCode = "Succeeded" | "TemporaryFailure" | "PermanentFailure";

export interface BatchTaskResult {
  readonly taskId: string;
  readonly resultCode: BatchResultCode;
  readonly resultString: string;
}

/** One task and the object version it names, or why it names none. */
export interface BatchTask {
  readonly taskId: string;
  readonly parsed: ObjectRef | InvalidRecord;
}

export interface BatchOperationsEvent {
  readonly invocationSchemaVersion: string;
  readonly invocationId: string;
  readonly tasks: readonly Record<string, unknown>[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** Whether a payload is a Batch Operations invocation. */
export function isBatchOperationsEvent(event: unknown): event is BatchOperationsEvent {
  return (
    isObject(event) &&
    (event.invocationSchemaVersion === "2.0" || event.invocationSchemaVersion === "1.0") &&
    typeof event.invocationId === "string" &&
    Array.isArray(event.tasks)
  );
}

/** The tasks, each with the version it names (`now` stands for its upload time until the version's own is read). */
export function parseBatchTasks(event: BatchOperationsEvent, now: Date): BatchTask[] {
  return event.tasks.map((task, index) => {
    const taskId = String(task.taskId ?? `task-${index}`);
    const bucket = text(task.s3Bucket) ?? text(task.s3BucketArn)?.replace(/^arn:[^:]+:s3:::/, "");
    const rawKey = text(task.s3Key);
    const key = rawKey === undefined ? undefined : decodeKey(rawKey);
    const named = { index, fingerprint: taskId, bucket, key: key ?? rawKey };
    if (!bucket) return { taskId, parsed: { ...named, reason: "task has no s3Bucket (schema 2.0) or s3BucketArn (1.0)" } };
    if (rawKey === undefined) return { taskId, parsed: { ...named, reason: "task has no s3Key" } };
    if (key === undefined) return { taskId, parsed: { ...named, reason: "s3Key is not valid URL encoding" } };
    const ref: ObjectRef = {
      bucket,
      key,
      versionId: text(task.s3VersionId),
      sequencer: normalizeSequencer(BACKFILL_SEQUENCER)!,
      size: 0,
      eventName: BACKFILL_EVENT,
      eventTime: now.toISOString(),
      timeFromObject: true,
    };
    return { taskId, parsed: ref };
  });
}

/** The response S3 Batch Operations reads: a result per task, in the invocation's schema. */
export const batchResponse = (event: BatchOperationsEvent, results: readonly BatchTaskResult[]) => ({
  invocationSchemaVersion: event.invocationSchemaVersion,
  treatMissingKeysAs: "PermanentFailure" as const,
  invocationId: event.invocationId,
  results,
});

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "SlowDown",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);
const NETWORK = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "TimeoutError", "RequestTimeout"]);

/**
 * Whether a failure is worth S3's retry: throttling, a 5xx from an AWS service, or the network.
 * Anything else (a refusal, a bug) will fail again the same way.
 */
export function isTransient(error: unknown): boolean {
  const e = (error ?? {}) as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  if (THROTTLING.has(e.name ?? "") || NETWORK.has(e.name ?? "") || NETWORK.has(e.code ?? "")) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}
