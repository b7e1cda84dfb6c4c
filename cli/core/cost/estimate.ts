export type { Basis, CostLine } from "./cost-line";
import { ASSUMPTIONS as A } from "./assumptions";
import type { CostLine, Line } from "./cost-line";
import { lambdaLines } from "./lambda-lines";
import { DURATIONS, derivativesMs } from "./measured";
import type { PipelineFacts } from "./pipeline-facts";
import { DAYS_PER_MONTH, GIB, PRICES as P } from "./prices";
import { count, monthEvents, monthRequests } from "./requests";
import { kmsLines } from "./kms";
import { storageStock } from "./storage";
import type { Usage } from "./usage";

const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400;
const EXISTING_BUCKET = "(existing bucket)";

/** The estimate of one pipeline instance in month `month` (1: the first) of a workload, line by line. */
export function estimate(facts: PipelineFacts, usage: Usage, month = 1): CostLine[] {
  const lines: CostLine[] = [];
  const events = monthEvents(usage, month);
  const { processor: pr, derivatives: dr } = monthRequests(facts, events);
  const add =
    (component: string, address: string) =>
    ({ address: own, ...l }: Line) =>
      lines.push({ instance: facts.instance, component, address: own ?? address, ...l, usdPerMonth: l.quantity * l.usdPerUnit });
  const stock = storageStock(facts, usage, month);

  if (facts.processor) {
    const fn = facts.processor;
    // EventBridge delivery: a batch holds what arrives in a second, up to the configured batch size.
    const batch = facts.eventBridge
      ? Math.min(fn.eventBatchSize ?? 1, Math.max(1, (events.uploads + events.deletions) / SECONDS_PER_MONTH))
      : 1;
    const invocations = (events.uploads + events.deletions) / batch;
    const ms = DURATIONS.processorWarmMs + usage.coldStartRate * DURATIONS.processorColdExtraMs;
    lambdaLines(
      add(`Lambda ${fn.name}`, fn.id),
      fn,
      invocations,
      ((events.uploads + events.deletions) * DURATIONS.processorWarmMs +
        invocations * usage.coldStartRate * DURATIONS.processorColdExtraMs) /
        1000,
      `${Math.round(ms)} ms an image (${usage.coldStartRate * 100} % cold)`,
      month,
    );
  }
  const bucket = facts.imageBucket?.id ?? EXISTING_BUCKET;
  const s3 = add("S3 images", bucket);
  if (facts.imageBucket) {
    s3({ item: "PUTs (the uploads)", quantity: events.uploads, unit: "requests", usdPerUnit: P.s3.putPerRequest, basis: "configured" });
    s3({
      item: `storage, current versions (${(usage.meanObjectBytes / 1e6).toFixed(1)} MB an upload)`,
      quantity: stock.images.current,
      unit: "GB-months",
      usdPerUnit: P.s3.standardPerGbMonth,
      basis: "assumed",
    });
    if (stock.images.noncurrent > 0)
      s3({
        item: `storage, replaced and deleted versions (kept ${facts.imageBucket.noncurrentVersionDays ?? "forever, no lifecycle"}${facts.imageBucket.noncurrentVersionDays ? " days" : ""})`,
        quantity: stock.images.noncurrent,
        unit: "GB-months",
        usdPerUnit: P.s3.standardPerGbMonth,
        basis: "assumed",
      });
  }
  const reads = count(pr, "s3:GetObject") + count(dr, "s3:GetObject") + count(dr, "s3:HeadObject");
  s3({
    item: "GETs and HEADs (the processor's ranged reads; the renditions' source and version checks)",
    quantity: reads,
    unit: "requests",
    usdPerUnit: P.s3.getPerRequest,
    basis: "measured",
  });
  const lists = count(pr, "s3:ListObjectVersions");
  if (lists > 0)
    s3({ item: "LISTs (a deletion's versions)", quantity: lists, unit: "requests", usdPerUnit: P.s3.putPerRequest, basis: "measured" });
  if (facts.accessLogs && facts.imageBucket) {
    const records = events.uploads + reads + lists;
    const days = facts.accessLogs.retentionDays;
    const months = days ? Math.min(month - 0.5, days / DAYS_PER_MONTH) : month - 0.5;
    add(
      "S3 access logs",
      facts.accessLogs.id,
    )({
      item: days ? `storage (${days} days' retention)` : "storage (kept)",
      quantity: ((records * A.accessLogRecordBytes) / GIB) * months,
      unit: "GB-months",
      usdPerUnit: P.s3.standardPerGbMonth,
      basis: "assumed",
    });
  }
  if (facts.table) {
    const db = add("DynamoDB metadata", facts.table.id);
    const writes =
      (count(pr, "dynamodb:PutItem") + count(pr, "dynamodb:UpdateItem") + count(dr, "dynamodb:UpdateItem")) * (1 + facts.table.indexes);
    db({
      item: `writes (table and ${facts.table.indexes} index${facts.table.indexes === 1 ? "" : "es"})`,
      quantity: writes,
      unit: "write request units",
      usdPerUnit: P.dynamodb.perWriteRequestUnit,
      basis: "measured",
    });
    // The derivatives function's GetItem is strongly consistent (one unit up to 4 KB); the index reads are eventually consistent (half a unit).
    const consistent = count(dr, "dynamodb:GetItem") * Math.ceil(A.itemBytes / 4096);
    if (consistent > 0)
      db({
        item: "consistent reads of the item (derivatives)",
        quantity: consistent,
        unit: "read request units",
        usdPerUnit: P.dynamodb.perReadRequestUnit,
        basis: "measured",
      });
    db({
      item: "reads of the index (report, query)",
      quantity: (events.uploads * A.indexReadsPerItem * A.itemBytes) / 8192,
      unit: "read request units",
      usdPerUnit: P.dynamodb.perReadRequestUnit,
      basis: "assumed",
    });
    db({
      item: "storage (table and indexes)",
      quantity: stock.table + stock.indexes,
      unit: "GB-months",
      usdPerUnit: P.dynamodb.storagePerGbMonth,
      basis: "assumed",
      freeTier: "dynamodbStorageGb",
    });
    if (facts.table.pitr)
      db({
        item: "point-in-time recovery (the table's size)",
        quantity: stock.table,
        unit: "GB-months",
        usdPerUnit: P.dynamodb.pitrPerGbMonth,
        basis: "assumed",
      });
  }
  const publishes = count(pr, "sns:Publish") + (facts.processor?.notifyOnSuccess ? events.processed : 0);
  if (facts.topic) {
    const sns = add("SNS notifications", facts.topic.id);
    sns({
      item: facts.processor?.notifyOnSuccess ? "publishes (every outcome)" : "publishes (rejections)",
      quantity: publishes,
      unit: "publishes",
      usdPerUnit: P.sns.perPublish,
      basis: "measured",
      freeTier: "snsPublishes",
    });
    if (facts.emailSubscriptions > 0)
      sns({
        item: `email deliveries (${facts.emailSubscriptions} subscription${facts.emailSubscriptions === 1 ? "" : "s"})`,
        quantity: publishes * facts.emailSubscriptions,
        unit: "emails",
        usdPerUnit: P.sns.perEmail,
        basis: "assumed",
        freeTier: "snsEmails",
      });
  }
  if (facts.eventBridge)
    add(
      "EventBridge",
      facts.eventRuleId ?? "",
    )({
      item: "S3 object events (opt-in data events: every event of the bucket)",
      quantity: events.uploads + events.deletions,
      unit: "events",
      usdPerUnit: P.eventbridge.perOptInEvent,
      basis: "configured",
    });
  const messagesOf = (role: string) =>
    role === "events" ? events.uploads + events.deletions : role === "derivatives" ? count(pr, "sqs:SendMessage") : 0;
  for (const queue of facts.queues.filter((q) => q.role !== "dead-letter")) {
    // Each message sent, received and deleted; and Lambda's long polls (20 s) while the queue is idle.
    const requests = 3 * messagesOf(queue.role) + A.idlePollers * (SECONDS_PER_MONTH / 20);
    add(
      "SQS",
      queue.id,
    )({
      item: `${queue.name}: send, receive, delete per message, and Lambda's idle polls`,
      quantity: requests,
      unit: "requests",
      usdPerUnit: P.sqs.perRequest,
      basis: "assumed",
      freeTier: "sqsRequests",
    });
  }
  if (facts.derivatives) {
    const fn = facts.derivatives;
    const scale = fn.renditions.length / DURATIONS.derivativesMeasuredRenditions;
    const warm = derivativesMs(usage.meanMegapixels, "warm") * scale;
    const cold = derivativesMs(usage.meanMegapixels, "cold") * scale;
    const ms = warm * (1 - usage.coldStartRate) + cold * usage.coldStartRate;
    lambdaLines(
      add(`Lambda ${fn.name}`, fn.id),
      fn,
      events.processed + events.deletions,
      (events.processed * ms) / 1000,
      `${Math.round(ms)} ms a request (${usage.coldStartRate * 100} % cold)`,
      month,
    );
    const out = add("S3 derivatives", facts.derivativesBucket?.id ?? "");
    out({
      item: `PUTs (${fn.renditions.length} renditions an image)`,
      quantity: count(dr, "s3:PutObject"),
      unit: "requests",
      usdPerUnit: P.s3.putPerRequest,
      basis: "measured",
    });
    out({
      item: `storage (${(stock.renditionBytes / 1000).toFixed(0)} KB an image, replaced renditions included)`,
      quantity: stock.renditions,
      unit: "GB-months",
      usdPerUnit: P.s3.standardPerGbMonth,
      basis: "assumed",
    });
  }
  kmsLines(facts, month, events, { publishes, messagesOf }, add);
  const cw = (address: string) => add("CloudWatch", address);
  // The alarms as the configuration holds them (the seam for the constructs' alarm catalog).
  for (const alarm of facts.alarms) {
    if (alarm.standard > 0)
      cw(alarm.id)({
        item: "alarms (one per metric each watches)",
        quantity: alarm.standard,
        unit: "alarm metrics",
        usdPerUnit: P.cloudwatch.perAlarmMetricMonth,
        basis: "configured",
        freeTier: "alarmMetrics",
      });
    if (alarm.highResolution > 0)
      cw(alarm.id)({
        item: "high-resolution alarm",
        quantity: alarm.highResolution,
        unit: "alarm metrics",
        usdPerUnit: P.cloudwatch.perHighResolutionAlarmMetricMonth,
        basis: "configured",
      });
  }
  for (const fn of [facts.processor, facts.derivatives])
    if (fn)
      cw(fn.id)({
        item: `custom metrics ${fn.name} emits`,
        quantity: fn.customMetrics,
        unit: "metrics",
        usdPerUnit: P.cloudwatch.perCustomMetricMonth,
        basis: "configured",
        freeTier: "customMetrics",
      });
  for (const dashboard of facts.dashboards)
    cw(dashboard)({
      item: "dashboard",
      quantity: 1,
      unit: "dashboards",
      usdPerUnit: P.cloudwatch.perDashboardMonth,
      basis: "configured",
      freeTier: "dashboards",
    });
  return lines;
}
