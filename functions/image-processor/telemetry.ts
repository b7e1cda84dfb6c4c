import type { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit, type Metrics } from "@aws-lambda-powertools/metrics";
import { METRICS } from "./environment";
import type { EventSummary } from "./process-event";

/** Logs each record's outcome (with key and image id) and emits the outcome metrics (EMF). */
export function report(summary: EventSummary, logger: Logger, metrics: Metrics): void {
  if (summary.kind === "ignored") {
    logger.info("event ignored", { reason: summary.reason });
    return;
  }
  const counts = { processed: 0, rejected: 0, missing: 0, unreadable: 0, failed: 0, duplicates: 0 };
  let bytesRead = 0;
  for (const result of summary.results) {
    bytesRead += result.bytesRead;
    const where = { bucket: result.ref.bucket, objectKey: result.ref.key, versionId: result.ref.versionId };
    if (!result.ok) {
      counts.failed++;
      logger.error("image failed; the event will be retried", { ...where, error: result.error as Error });
      continue;
    }
    const { item } = result;
    const fields = { ...where, imageId: item.ImageId, status: item.Status, reason: item.Reason, saved: result.saved };
    if (result.saved !== "written") {
      counts.duplicates++;
      logger.info("event already recorded", fields);
      continue;
    }
    counts[item.Status]++;
    if (item.Status === "processed")
      logger.info("image processed", { ...fields, format: item.DetectedFormat, width: item.Width, height: item.Height });
    else logger.warn(`image ${item.Status}`, fields);
    metrics.addMetric(METRICS.latency, MetricUnit.Milliseconds, result.latencyMs);
  }
  for (const result of summary.removals) {
    const where = { bucket: result.ref.bucket, objectKey: result.ref.key, versionId: result.ref.versionId, event: result.ref.eventName };
    if (result.ok)
      logger.info("image deleted", {
        ...where,
        removedVersionId: result.removedVersionId,
        marked: result.marked,
        restored: result.restored && {
          versionId: result.restored.ref.versionId,
          status: result.restored.item.Status,
          saved: result.restored.saved,
        },
        renditionsRequested: result.renditionsRequested,
      });
    else logger.error("recording a deletion failed; the event will be retried", { ...where, error: result.error as Error });
    if (!result.ok) counts.failed++;
  }
  for (const ref of summary.skipped) {
    logger.info("object skipped: its key does not end in an image suffix of the configured formats", {
      bucket: ref.bucket,
      objectKey: ref.key,
      versionId: ref.versionId,
    });
  }
  for (const result of summary.invalid) {
    if (result.ok) {
      counts.rejected++;
      logger.warn("event record rejected", { ...result.record });
    } else {
      counts.failed++;
      logger.error("recording a rejected event record failed; the event will be retried", {
        ...result.record,
        error: result.error as Error,
      });
    }
  }

  metrics.addMetric(METRICS.processed, MetricUnit.Count, counts.processed);
  metrics.addMetric(METRICS.rejected, MetricUnit.Count, counts.rejected);
  metrics.addMetric(METRICS.missing, MetricUnit.Count, counts.missing);
  metrics.addMetric(METRICS.unreadable, MetricUnit.Count, counts.unreadable);
  metrics.addMetric(METRICS.failed, MetricUnit.Count, counts.failed);
  metrics.addMetric(METRICS.duplicates, MetricUnit.Count, counts.duplicates);
  metrics.addMetric(METRICS.skipped, MetricUnit.Count, summary.skipped.length);
  metrics.addMetric(METRICS.bytesRead, MetricUnit.Bytes, bytesRead);
}
