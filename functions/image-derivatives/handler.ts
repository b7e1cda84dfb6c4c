import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { createClients } from "../shared/clients";
import { DynamoDbDerivativesStore } from "./adapters/dynamodb-derivatives-store";
import { S3RenditionBucket, S3SourceImages } from "./adapters/s3-derivatives";
import { loadDerivativesConfig } from "./config";
import type { DerivativesDependencies } from "./ports";
import { processBatch } from "./process-batch";
import { reportBatch } from "./telemetry";
import { traceOnFirstEvent } from "../shared/tracing";

// Once per container: a bad variable fails here, naming it, before any message is taken.
const config = loadDerivativesConfig(process.env);
const logger = new Logger();
const metrics = new Metrics({ defaultDimensions: { environment: config.environment } });
// Whole images travel over these connections: a longer request timeout than the processor's.
const clients = createClients({ requestHandler: { connectionTimeout: 2_000, requestTimeout: 30_000 } });
const tracing = traceOnFirstEvent([clients.s3, clients.dynamodb]);

const deps: DerivativesDependencies = {
  images: new S3SourceImages(clients.s3),
  renditions: new S3RenditionBucket(clients.s3, config.bucketName),
  store: new DynamoDbDerivativesStore(clients.dynamodb, config.tableName),
};

/**
 * A batch of derivatives requests from the queue in; the ids of the failed messages out
 * (partial batch response), so only those are delivered again and, in the end, dead-lettered.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  tracing();
  logger.addContext(context);
  metrics.captureColdStartMetric();
  try {
    const results = await processBatch(event.Records ?? [], deps, config);
    reportBatch(results, logger, metrics);
    return { batchItemFailures: results.filter((r) => !r.ok).map((r) => ({ itemIdentifier: r.messageId })) };
  } finally {
    metrics.publishStoredMetrics();
  }
};
