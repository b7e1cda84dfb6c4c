import type { Context } from "aws-lambda";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDbMetadataStore } from "./adapters/dynamodb-metadata-store";
import { createClients } from "../shared/clients";
import { S3ImageSource } from "./adapters/s3-image-source";
import { SnsNotifier } from "./adapters/sns-notifier";
import { SqsDerivativesQueue } from "./adapters/sqs-derivatives-queue";
import { loadConfig } from "./config";
import type { Dependencies } from "./ports";
import { RecordsFailedError, failedResults, processEvent } from "./process-event";
import { processQueueEvent } from "./process-queue-event";
import { isQueueEvent } from "./core/queue-event";
import { isBatchOperationsEvent } from "./core/batch-operations-event";
import { processBatchOperations } from "./process-batch-operations";
import { report } from "./telemetry";
import { traceOnFirstEvent } from "../shared/tracing";

// Everything below runs once per container (cold start). A missing variable fails here,
// naming the variable, before any event is taken.
const config = loadConfig(process.env);
const logger = new Logger();
const metrics = new Metrics({ defaultDimensions: { environment: config.environment } });
const clients = createClients({}, { sqs: config.derivativesQueueUrl !== undefined });
const tracing = traceOnFirstEvent([clients.s3, clients.dynamodb, clients.sns, ...(clients.sqs ? [clients.sqs] : [])]);

const deps: Dependencies = {
  images: new S3ImageSource(clients.s3),
  store: new DynamoDbMetadataStore(clients.dynamodb, config.tableName),
  notifier: new SnsNotifier(clients.sns, config.topicArn),
  now: () => new Date(),
  ...(config.derivativesQueueUrl && clients.sqs ? { derivatives: new SqsDerivativesQueue(clients.sqs, config.derivativesQueueUrl) } : {}),
};

/**
 * S3 notifications in (asynchronous invocations); a summary out. Throws when any record failed,
 * so that Lambda's asynchronous retries and then the dead-letter queue take the event. A batch
 * from the event queue (EventBridge delivery) is answered with the messages that failed, alone; a
 * Batch Operations invocation with a result per task.
 */
export const handler = async (event: unknown, context: Context) => {
  tracing();
  logger.addContext(context);
  metrics.captureColdStartMetric();
  try {
    if (isQueueEvent(event) || isBatchOperationsEvent(event)) {
      const { summary, response } = isQueueEvent(event)
        ? await processQueueEvent(event, deps, config)
        : await processBatchOperations(event, deps, config);
      report(summary, logger, metrics);
      return response;
    }
    const summary = await processEvent(event, deps, config);
    report(summary, logger, metrics);
    if (summary.kind === "ignored") return { ignored: summary.reason };
    const failed = failedResults(summary);
    if (failed.length > 0) throw new RecordsFailedError(failed);
    return {
      results: summary.results.map((result) => ({
        key: result.ref.key,
        versionId: result.ref.versionId,
        status: result.ok ? result.item.Status : "failed",
        saved: result.ok ? result.saved : undefined,
      })),
      invalid: summary.invalid.map((result) => result.record.reason),
      removals: summary.removals.map((result) => ({
        key: result.ref.key,
        marked: result.ok ? result.marked : "failed",
        restored: result.ok ? result.restored?.item.Status : undefined,
        renditionsRequested: result.ok && result.renditionsRequested,
      })),
      skipped: summary.skipped.map((ref) => ref.key),
    };
  } finally {
    metrics.publishStoredMetrics();
  }
};
