import { ASSUMPTIONS as A } from "./assumptions";
import { derivativesMs, MEASURED } from "./measured";
import type { FunctionFacts, PipelineFacts } from "./pipeline-facts";
import { DAYS_PER_MONTH, PRICES as P } from "./prices";

/** Where a line's quantity comes from: a measurement (BENCHMARKS.md), the configuration alone, or an assumption. */
export type Basis = "measured" | "configured" | "assumed";

export interface CostLine {
  readonly instance: string;
  readonly component: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usdPerMonth: number;
  readonly basis: Basis;
}

export interface Volume {
  readonly uploadsPerDay: number;
  /** Mean size of an upload, in megapixels. */
  readonly meanMegapixels: number;
}

const GB = 1e9;
const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400;
const FIVE_MINUTES_PER_MONTH = SECONDS_PER_MONTH / 300;

/** The pixels a rendition of a photo has: its box for `cover`/`fill`, the photo fitted (4:3) inside it otherwise, never more than the photo. */
function renditionPixels(r: { width: number; height: number; fit: string }, megapixels: number): number {
  const photo = megapixels * 1e6;
  if (["cover", "fill"].includes(r.fit)) return Math.min(photo, r.width * r.height);
  const scale = Math.min(1, r.width / Math.sqrt((photo * 4) / 3), r.height / Math.sqrt((photo * 3) / 4));
  return photo * scale * scale;
}

/** A function's requests, compute and logs for `invocations` a month of `seconds` each. */
function lambdaLines(
  line: (l: Omit<CostLine, "instance" | "component">) => void,
  fn: FunctionFacts,
  invocations: number,
  seconds: number,
  durationBasis: Basis,
) {
  const gbSeconds = invocations * seconds * (fn.memoryMb / 1024);
  line({ item: "requests", quantity: invocations, unit: "requests", usdPerMonth: invocations * P.lambda.perRequest, basis: "configured" });
  line({
    item: `compute at ${fn.memoryMb} MB, ${fn.architecture}, ${Math.round(seconds * 1000)} ms each`,
    quantity: gbSeconds,
    unit: "GB-seconds",
    usdPerMonth: gbSeconds * P.lambda.perGbSecond[fn.architecture],
    basis: durationBasis,
  });
  const logGb = (invocations * A.logBytesPerInvocation) / GB;
  line({ item: "logs ingested", quantity: logGb, unit: "GB", usdPerMonth: logGb * P.cloudwatch.logsIngestedPerGb, basis: "assumed" });
  // Kept `retention` days, a month's logs stay stored retention/30 months; kept forever, a month's logs are stored from then on.
  const storedGb = fn.logRetentionDays ? (logGb * fn.logRetentionDays) / DAYS_PER_MONTH : logGb;
  line({
    item: fn.logRetentionDays
      ? `logs stored (${fn.logRetentionDays} days' retention)`
      : "logs stored (kept forever: grows by this each month)",
    quantity: storedGb,
    unit: "GB-months",
    usdPerMonth: storedGb * P.cloudwatch.logsStoredPerGbMonth,
    basis: "assumed",
  });
  if (fn.tracing) {
    const perSecond = invocations / SECONDS_PER_MONTH;
    const traces =
      SECONDS_PER_MONTH *
      (Math.min(perSecond, A.xrayReservoirPerSecond) + A.xrayFixedRate * Math.max(0, perSecond - A.xrayReservoirPerSecond));
    line({
      item: "X-Ray traces recorded (default sampling)",
      quantity: traces,
      unit: "traces",
      usdPerMonth: traces * P.xray.perTraceRecorded,
      basis: "assumed",
    });
  }
}

/** The monthly estimate of one pipeline instance at a volume, line by line. */
export function estimate(facts: PipelineFacts, volume: Volume): CostLine[] {
  const lines: CostLine[] = [];
  const uploads = volume.uploadsPerDay * DAYS_PER_MONTH;
  const add = (component: string) => (l: Omit<CostLine, "instance" | "component">) =>
    lines.push({ instance: facts.instance, component, ...l });

  if (facts.processor) {
    const fn = facts.processor;
    lambdaLines(add(`Lambda ${fn.name}`), fn, uploads, MEASURED.processorMsPerImage / 1000, "measured");
  }
  const s3 = add("S3 images");
  const uploadBytes = volume.meanMegapixels * A.uploadBytesPerMegapixel;
  s3({ item: "PUTs (the uploads)", quantity: uploads, unit: "requests", usdPerMonth: uploads * P.s3.putPerRequest, basis: "configured" });
  const gets = uploads * MEASURED.processorGetsPerImage + (facts.derivatives ? uploads : 0);
  s3({
    item: facts.derivatives ? "GETs (ranged reads, and one whole read for the renditions)" : "GETs (ranged reads)",
    quantity: gets,
    unit: "requests",
    usdPerMonth: gets * P.s3.getPerRequest,
    basis: "measured",
  });
  const addedGb = (uploads * uploadBytes) / GB;
  s3({
    item: `storage added (${(uploadBytes / 1e6).toFixed(1)} MB an upload; grows by this each month${facts.noncurrentVersionDays ? `, replaced versions kept ${facts.noncurrentVersionDays} days` : ""})`,
    quantity: addedGb,
    unit: "GB-months",
    usdPerMonth: addedGb * P.s3.standardPerGbMonth,
    basis: "assumed",
  });
  if (facts.accessLogs) {
    const logs = add("S3 access logs");
    const records = uploads + gets;
    const days = facts.accessLogs.retentionDays;
    const storedGb = ((records * A.accessLogRecordBytes) / GB) * (days ? days / DAYS_PER_MONTH : 1);
    logs({
      item: days ? `storage (${days} days' retention)` : "storage (grows by this each month)",
      quantity: storedGb,
      unit: "GB-months",
      usdPerMonth: storedGb * P.s3.standardPerGbMonth,
      basis: "assumed",
    });
  }
  if (facts.table) {
    const db = add("DynamoDB metadata");
    const tables = 1 + facts.table.indexes;
    const writes = uploads * tables * Math.ceil(A.itemBytes / 1000) * (facts.derivatives ? 2 : 1);
    db({
      item: `writes (table and ${facts.table.indexes} index${facts.table.indexes === 1 ? "" : "es"}${facts.derivatives ? ", the renditions' update too" : ""})`,
      quantity: writes,
      unit: "write request units",
      usdPerMonth: writes * P.dynamodb.perWriteRequestUnit,
      basis: "configured",
    });
    const reads = (uploads * A.indexReadsPerItem * A.itemBytes) / 8000;
    db({
      item: "reads of the index (report, query)",
      quantity: reads,
      unit: "read request units",
      usdPerMonth: reads * P.dynamodb.perReadRequestUnit,
      basis: "assumed",
    });
    const storedGb = (uploads * tables * (A.itemBytes + 100)) / GB;
    db({
      item: "storage added (grows by this each month)",
      quantity: storedGb,
      unit: "GB-months",
      usdPerMonth: storedGb * P.dynamodb.storagePerGbMonth,
      basis: "assumed",
    });
    if (facts.table.pitr)
      db({
        item: "point-in-time recovery",
        quantity: storedGb,
        unit: "GB-months",
        usdPerMonth: storedGb * P.dynamodb.pitrPerGbMonth,
        basis: "assumed",
      });
  }
  const sns = add("SNS notifications");
  const notices = uploads * (facts.processor?.notifyOnSuccess ? 1 : A.rejectedShare);
  sns({
    item: facts.processor?.notifyOnSuccess ? "publishes (every outcome)" : "publishes (rejections only)",
    quantity: notices,
    unit: "publishes",
    usdPerMonth: notices * P.sns.perPublish,
    basis: facts.processor?.notifyOnSuccess ? "configured" : "assumed",
  });
  if (facts.emailSubscriptions > 0) {
    const emails = notices * facts.emailSubscriptions;
    sns({
      item: `email deliveries (${facts.emailSubscriptions} subscription${facts.emailSubscriptions === 1 ? "" : "s"})`,
      quantity: emails,
      unit: "emails",
      usdPerMonth: emails * P.sns.perEmail,
      basis: "assumed",
    });
  }
  if (facts.eventBridge) {
    add("EventBridge")({
      item: "S3 object events (opt-in data events: every event of the bucket)",
      quantity: uploads,
      unit: "events",
      usdPerMonth: uploads * P.eventbridge.perOptInEvent,
      basis: "configured",
    });
  }
  const sqs = add("SQS");
  for (const queue of facts.queues.filter((q) => q.role !== "dead-letter")) {
    const requests = uploads * 3 + A.idlePollers * (SECONDS_PER_MONTH / 20);
    sqs({
      item: `${queue.name}: send, receive, delete per image, and Lambda's idle polls`,
      quantity: requests,
      unit: "requests",
      usdPerMonth: requests * P.sqs.perRequest,
      basis: "assumed",
    });
  }
  if (facts.derivatives) {
    const fn = facts.derivatives;
    const scale = fn.renditions.length / MEASURED.derivativesMeasuredRenditions;
    lambdaLines(add(`Lambda ${fn.name}`), fn, uploads, (derivativesMs(volume.meanMegapixels) * scale) / 1000, "measured");
    const out = add("S3 derivatives");
    const puts = uploads * fn.renditions.length;
    out({
      item: `PUTs (${fn.renditions.length} renditions an image)`,
      quantity: puts,
      unit: "requests",
      usdPerMonth: puts * P.s3.putPerRequest,
      basis: "configured",
    });
    const bytes = fn.renditions.reduce((sum, r) => sum + renditionPixels(r, volume.meanMegapixels) * A.renditionBytesPerPixel, 0);
    const gb = (uploads * bytes) / GB;
    out({
      item: `storage added (${(bytes / 1000).toFixed(0)} KB an image; grows by this each month)`,
      quantity: gb,
      unit: "GB-months",
      usdPerMonth: gb * P.s3.standardPerGbMonth,
      basis: "assumed",
    });
  }
  const kms = add("KMS");
  if (facts.keys > 0)
    kms({
      item: "customer managed keys",
      quantity: facts.keys,
      unit: "keys",
      usdPerMonth: facts.keys * P.kms.perKeyMonth,
      basis: "configured",
    });
  const encryptedQueues = facts.queues.filter((q) => q.encrypted);
  const queueRequests = encryptedQueues.reduce((sum, q) => sum + 2 * (SECONDS_PER_MONTH / q.dataKeyReuseSeconds), 0);
  const cached =
    (Number(facts.topicEncrypted) + Number(facts.table?.encrypted ?? false) + facts.encryptedLogGroups) *
    A.kmsRequestsPerResourcePerFiveMinutes *
    FIVE_MINUTES_PER_MONTH;
  if (queueRequests + cached > 0)
    kms({
      item: "requests (data keys reused: the queues' reuse period, 5 minutes elsewhere)",
      quantity: queueRequests + cached,
      unit: "requests",
      usdPerMonth: (queueRequests + cached) * P.kms.perRequest,
      basis: "assumed",
    });
  const cw = add("CloudWatch");
  const { standard, highResolution } = facts.alarmMetrics;
  if (standard + highResolution > 0)
    cw({
      item: "alarms (one per metric each watches)",
      quantity: standard + highResolution,
      unit: "alarm metrics",
      usdPerMonth: standard * P.cloudwatch.perAlarmMetricMonth + highResolution * P.cloudwatch.perHighResolutionAlarmMetricMonth,
      basis: "configured",
    });
  if (facts.customMetrics > 0)
    cw({
      item: "custom metrics the alarms watch",
      quantity: facts.customMetrics,
      unit: "metrics",
      usdPerMonth: facts.customMetrics * P.cloudwatch.perCustomMetricMonth,
      basis: "configured",
    });
  if (facts.dashboards > 0)
    cw({
      item: "dashboards",
      quantity: facts.dashboards,
      unit: "dashboards",
      usdPerMonth: facts.dashboards * P.cloudwatch.perDashboardMonth,
      basis: "configured",
    });
  return lines;
}
