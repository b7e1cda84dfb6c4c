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
import { RecordsFailedError, processEvent } from "./process-event";
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
 * S3 ObjectCreated notifications in; a summary out. Throws when any record failed, so that
 * Lambda's asynchronous retries and then the dead-letter queue take the event.
 */
export const handler = async (event: unknown, context: Context) => {
  tracing();
  logger.addContext(context);
  metrics.captureColdStartMetric();
  try {
    const summary = await processEvent(event, deps, config);
    report(summary, logger, metrics);
    if (summary.kind === "ignored") return { ignored: summary.reason };
    const failed = [
      ...summary.results.filter((result) => !result.ok),
      ...summary.invalid.filter((result) => !result.ok),
      ...summary.removals.filter((result) => !result.ok),
    ];
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
        renditionsRequested: result.ok && result.renditionsRequested,
      })),
      skipped: summary.skipped.map((ref) => ref.key),
    };
  } finally {
    metrics.publishStoredMetrics();
  }
};
