import type { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit, type Metrics } from "@aws-lambda-powertools/metrics";
import { DERIVATIVES_METRICS } from "./environment";
import type { RequestResult } from "./process-batch";

/** Logs each request's outcome and emits the derivatives metrics (EMF). */
export function reportBatch(results: readonly RequestResult[], logger: Logger, metrics: Metrics): void {
  const counts = { rendered: 0, errors: 0, tooLarge: 0, skipped: 0, failed: 0 };
  for (const result of results) {
    if (!result.ok) {
      counts.failed++;
      logger.error("derivatives request failed; it goes back to the queue", {
        messageId: result.messageId,
        ...result.request,
        error: result.error as Error,
      });
      continue;
    }
    const fields = { messageId: result.messageId, ...result.request, outcome: result.outcome, reason: result.reason };
    switch (result.outcome) {
      case "rendered":
        counts.rendered += result.rendered.length;
        logger.info("renditions written", {
          ...fields,
          renditions: result.rendered.map((r) => ({ name: r.rendition.name, width: r.width, height: r.height, bytes: r.bytes.length })),
        });
        if (result.megapixels && result.renderMs !== undefined)
          metrics.addMetric(DERIVATIVES_METRICS.renderTime, MetricUnit.Milliseconds, result.renderMs / result.megapixels);
        break;
      case "deleted":
        logger.info("renditions deleted: the image has no current version", fields);
        break;
      case "done":
      case "stale":
        counts.skipped++;
        logger.info("nothing to make", fields);
        break;
      case "too-large":
        counts.tooLarge++;
        counts.errors++;
        logger.warn("image too large for renditions", fields);
        break;
      default:
        counts.errors++;
        logger.warn(`no renditions: ${result.outcome}`, fields);
    }
  }
  metrics.addMetric(DERIVATIVES_METRICS.rendered, MetricUnit.Count, counts.rendered);
  metrics.addMetric(DERIVATIVES_METRICS.errors, MetricUnit.Count, counts.errors);
  metrics.addMetric(DERIVATIVES_METRICS.tooLarge, MetricUnit.Count, counts.tooLarge);
  metrics.addMetric(DERIVATIVES_METRICS.skipped, MetricUnit.Count, counts.skipped);
  metrics.addMetric(DERIVATIVES_METRICS.failed, MetricUnit.Count, counts.failed);
}
