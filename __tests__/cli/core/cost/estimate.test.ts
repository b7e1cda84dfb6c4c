import { fromSynthesized } from "../../../../cli/core/configuration/synthesized";
import type { CostLine } from "../../../../cli/core/cost/estimate";
import { costReport } from "../../../../cli/core/cost/report";
import { EXAMPLE_RENDITIONS } from "../../../../constructs";
import type { EnvironmentStackProps } from "../../../../constructs/shipping/environment-stack";
import { synthStack } from "../../../helpers/synth";
import { ALARM_COUNTS, PROCESSOR_ALARMS } from "../../../../constructs/interface/alarm-catalog";

/** The processor's own metrics its alarms watch (not AWS/...): each a custom metric, billed as one. */
const CUSTOM_METRICS = Object.values(PROCESSOR_ALARMS).filter((row) => !row.namespace.startsWith("AWS/")).length;

const linesOf = (props: Partial<EnvironmentStackProps>, uploadsPerDay: number) =>
  costReport(fromSynthesized(synthStack({ region: "us-east-1", ...props }).tf), { uploadsPerDay, meanMegapixels: 12 }, "us-east-1").lines;

/** The one line of a component whose item starts so. */
function line(lines: readonly CostLine[], component: string, item: string): CostLine {
  const found = lines.filter((l) => l.component === component && l.item.startsWith(item));
  if (found.length !== 1) throw new Error(`expected one ${component} / ${item}, found ${found.length}`);
  return found[0];
}

// Worked by hand, for the dev stack (processor 256 MB arm64, tracing on, 30 days of logs, one index,
// point-in-time recovery, the processor's alarms, one dashboard, one key), a month being 365/12 days:
// 1,000 a day is 30,416.67 uploads; 1,000,000 a day, 30,416,666.67.
const HAND_CHECKED = [
  {
    perDay: 1_000,
    usd: {
      // 30,416.67 × $0.20/M
      requests: 0.006083,
      // 30,416.67 × 0.232 s × 0.25 GB = 1,764.17 GB-s × $0.0000133334
      compute: 0.023522,
      // 30,416.67 × 1.5 KB = 0.0456 GB × $0.50
      logsIngested: 0.022813,
      // 0.0456 GB × 30/30.42 months × $0.03
      logsStored: 0.00135,
      // 0.0116 a second, under the reservoir of 1: every request, × $5/M
      traces: 0.152083,
      // 30,416.67 × $0.005/1000
      puts: 0.152083,
      // 30,416.67 × 1 GET × $0.0004/1000
      gets: 0.012167,
      // 30,416.67 × 3.6 MB = 109.5 GB × $0.023
      storage: 2.5185,
      // 30,416.67 × 2 (table + index) WRU × $0.625/M
      writes: 0.038021,
      // 30,416.67 × (1.1 KB × 2) = 0.0669 GB × $0.25, and × $0.20 for PITR
      itemStorage: 0.016729,
      pitr: 0.013383,
    },
  },
  {
    perDay: 1_000_000,
    usd: {
      requests: 6.083333,
      compute: 23.52234,
      logsIngested: 22.8125,
      logsStored: 1.35,
      // 11.57 a second: 1 + 5 % of the other 10.57, × 2,628,000 s = 4,017,433 traces × $5/M
      traces: 20.087167,
      puts: 152.083333,
      gets: 12.166667,
      storage: 2518.5,
      writes: 38.020833,
      itemStorage: 16.729167,
      pitr: 13.383333,
    },
  },
];

describe("the monthly estimate, component by component", () => {
  it.each(HAND_CHECKED)("matches the hand-worked figures at $perDay uploads a day", ({ perDay, usd }) => {
    // Arrange, Act
    const lines = linesOf({}, perDay);

    // Assert
    const lambda = "Lambda ImageProcessor-dev";
    expect(line(lines, lambda, "requests").usdPerMonth).toBeCloseTo(usd.requests, 5);
    expect(line(lines, lambda, "compute at 256 MB, arm64, 232 ms").usdPerMonth).toBeCloseTo(usd.compute, 5);
    expect(line(lines, lambda, "logs ingested").usdPerMonth).toBeCloseTo(usd.logsIngested, 5);
    expect(line(lines, lambda, "logs stored (30 days").usdPerMonth).toBeCloseTo(usd.logsStored, 5);
    expect(line(lines, lambda, "X-Ray").usdPerMonth).toBeCloseTo(usd.traces, 5);
    expect(line(lines, "S3 images", "PUTs").usdPerMonth).toBeCloseTo(usd.puts, 5);
    expect(line(lines, "S3 images", "GETs").usdPerMonth).toBeCloseTo(usd.gets, 5);
    expect(line(lines, "S3 images", "storage added").usdPerMonth).toBeCloseTo(usd.storage, 4);
    expect(line(lines, "DynamoDB metadata", "writes").usdPerMonth).toBeCloseTo(usd.writes, 5);
    expect(line(lines, "DynamoDB metadata", "storage added").usdPerMonth).toBeCloseTo(usd.itemStorage, 5);
    expect(line(lines, "DynamoDB metadata", "point-in-time").usdPerMonth).toBeCloseTo(usd.pitr, 5);
    // What does not grow with volume: an alarm metric each × $0.10, the custom metrics they watch × $0.30, a dashboard, a key.
    expect(line(lines, "CloudWatch", "alarms").usdPerMonth).toBeCloseTo(ALARM_COUNTS.processor * 0.1, 6);
    expect(line(lines, "CloudWatch", "custom metrics").usdPerMonth).toBeCloseTo(CUSTOM_METRICS * 0.3, 6);
    expect(line(lines, "CloudWatch", "dashboards").usdPerMonth).toBe(3);
    expect(line(lines, "KMS", "customer managed keys").usdPerMonth).toBe(1);
    // 3 resources × 8,760 five-minute periods + the DLQ's 2 × 8,760 (300 s reuse) = 43,800 × $0.03/10k
    expect(line(lines, "KMS", "requests").usdPerMonth).toBeCloseTo(0.1314, 6);
    // The dev stack has neither EventBridge delivery nor derivatives, nor access logs.
    expect(lines.filter((l) => /EventBridge|SQS|Derivatives|access logs/.test(l.component))).toEqual([]);
  });

  it.each([
    // 30,416.67 × 0.741 s × 1.5 GB × $0.0000133334; 2 PUTs × $0.005/1000; 344,064 B (12,288 + 331,776) × $0.023/GB; 3 requests + 657,000 idle polls × $0.40/M
    { perDay: 1_000, compute: 0.450777, puts: 0.304167, storage: 0.240701, sqs: 0.2993 },
    { perDay: 1_000_000, compute: 450.777254, puts: 304.166667, storage: 240.70144, sqs: 36.7628 },
  ])("adds the derivatives part's figures at $perDay uploads a day", ({ perDay, compute, puts, storage, sqs }) => {
    const lines = linesOf({ derivatives: EXAMPLE_RENDITIONS }, perDay);

    expect(line(lines, "Lambda ImageDerivatives-dev", "compute at 1536 MB, arm64, 741 ms").usdPerMonth).toBeCloseTo(compute, 4);
    expect(line(lines, "S3 derivatives", "PUTs (2 renditions").usdPerMonth).toBeCloseTo(puts, 5);
    expect(line(lines, "S3 derivatives", "storage added (344 KB").usdPerMonth).toBeCloseTo(storage, 5);
    expect(line(lines, "SQS", "ImageDerivatives-dev").usdPerMonth).toBeCloseTo(sqs, 5);
  });

  it("follows the configured memory: twice the processor's memory, twice its compute and nothing else", () => {
    // Arrange
    const [at256, at512] = [linesOf({}, 100_000), linesOf({ memorySize: 512 }, 100_000)];
    const compute = (lines: readonly CostLine[]) => lines.find((l) => l.item.startsWith("compute"))!;

    // Assert
    expect(compute(at256).item).toContain("256 MB");
    expect(compute(at512).item).toContain("512 MB");
    expect(compute(at512).usdPerMonth).toBeCloseTo(2 * compute(at256).usdPerMonth, 8);
    const others = (lines: readonly CostLine[]) => lines.filter((l) => !l.item.startsWith("compute")).map((l) => l.usdPerMonth);
    expect(others(at512)).toEqual(others(at256));
  });

  it("prices what the configuration turns on: EventBridge's opt-in events and its queue, prod's access logs", () => {
    const eventbridge = linesOf({ eventDelivery: "eventbridge" }, 1_000);
    const prod = linesOf({ environment: "prod", notificationEmail: "ops@example.com" }, 1_000);

    // 30,416.67 events × $1/M
    expect(line(eventbridge, "EventBridge", "S3 object events").usdPerMonth).toBeCloseTo(0.030417, 5);
    expect(line(eventbridge, "SQS", "ImageProcessor-Events-dev").quantity).toBeCloseTo(3 * 30_416.67 + 657_000, 0);
    // (30,416.67 PUTs + 30,416.67 GETs) × 400 B × 365/30.42 months (the logs' lifecycle) = 0.2920 GB × $0.023
    expect(line(prod, "S3 access logs", "storage (365 days").usdPerMonth).toBeCloseTo(0.006716, 5);
    // One email subscription: 1 % rejected × 30,416.67 × $2/100k
    expect(line(prod, "SNS notifications", "email deliveries").usdPerMonth).toBeCloseTo(0.006083, 5);
  });
});
