// The derivatives function's settings (memory, time, batches, retries, retention, concurrency),
// their defaults and their validation.
import { DEFAULTS } from "./defaults";
import { rangeProblems } from "./rules";

/** How the derivatives function runs. Every field is optional. */
export interface DerivativesSettings {
  /**
   * Memory of the derivatives function in MB (128 to 10240); also its share of CPU. A 24-megapixel
   * photo decodes to about 70 MB of pixels, and libvips needs a few times that.
   * @default 1536
   */
  readonly memorySize?: number;
  /**
   * Timeout of one batch in seconds (1 to 900); the queue's visibility timeout is six times this.
   * @default 120
   */
  readonly timeoutSeconds?: number;
  /**
   * Largest image, in bytes (1 MiB to 1 GiB), the function reads whole to make renditions; a larger
   * one is recorded on its item as `too-large`, with no renditions.
   * @default 52428800 (50 MiB)
   */
  readonly maxSourceBytes?: number;
  /**
   * Derivatives requests per invocation (1 to 10); they are rendered one after another.
   * @default 4
   */
  readonly batchSize?: number;
  /**
   * Deliveries of a derivatives request (1 to 10) before it goes to the derivatives dead-letter queue.
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Days after which replaced renditions (noncurrent versions) are deleted (1 to 3650).
   * @default 7
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Age in seconds of the oldest waiting request (60 to 1209600) above which the queue-age alarm fires.
   * @default 900
   */
  readonly queueAgeAlarmSeconds?: number;
  /**
   * Concurrent invocations the queue may drive (2 to 1000, the event source mapping's maximum
   * concurrency): bounds the account's concurrency, the table's write rate and the memory in use
   * when many images arrive at once. Requests beyond it wait in the queue.
   * @default 5
   */
  readonly maximumConcurrency?: number;
}

/** The settings with their defaults, and the problems of the invalid ones. */
export function resolveDerivativesSettings(settings: DerivativesSettings = {}) {
  const d = DEFAULTS.derivatives;
  const resolved: Required<DerivativesSettings> = {
    memorySize: settings.memorySize ?? d.memorySize,
    timeoutSeconds: settings.timeoutSeconds ?? d.timeoutSeconds,
    maxSourceBytes: settings.maxSourceBytes ?? d.maxSourceBytes,
    batchSize: settings.batchSize ?? d.batchSize,
    maxReceiveCount: settings.maxReceiveCount ?? d.maxReceiveCount,
    noncurrentVersionExpirationDays: settings.noncurrentVersionExpirationDays ?? d.noncurrentVersionExpirationDays,
    queueAgeAlarmSeconds: settings.queueAgeAlarmSeconds ?? d.queueAgeAlarmSeconds,
    maximumConcurrency: settings.maximumConcurrency ?? d.maximumConcurrency,
  };
  const problems = rangeProblems(Object.fromEntries(Object.entries(resolved).map(([k, v]) => [`derivativesSettings.${k}`, v])));
  return { settings: resolved, problems };
}
