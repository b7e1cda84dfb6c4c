// The estimate recomputed as a FinOps reviewer would by hand: AWS's published us-east-1 unit prices
// (typed here from the pricing pages, not imported), the requests per image the functions were
// measured making (cli/core/cost/requests-per-image.json) and the durations the bench measured
// (cli/core/cost/durations.json), and the stated assumptions; line by line, each within 1 %.
import { fromSynthesized } from "../../../../cli/core/configuration/synthesized";
import type { CostLine } from "../../../../cli/core/cost/estimate";
import { costReport } from "../../../../cli/core/cost/report";
import DURATIONS from "../../../../cli/core/cost/durations.json";
import MEASURED from "../../../../cli/core/cost/requests-per-image.json";
import { defaultUsage } from "../../../../cli/core/cost/usage";
import { EXAMPLE_RENDITIONS } from "../../../../constructs";
import { synthStack } from "../../../helpers/synth";

const GiB = 2 ** 30;
const MONTH_DAYS = 365 / 12;
const SECONDS = MONTH_DAYS * 86_400;
// Month 1: uploads arrive evenly, so on average half the month's uploads are stored.
const HALF = 0.5;
/** KMS data keys of a resource in use: one per 5-minute period in which it is used at all (Poisson arrivals). */
const dataKeys = (perMonth: number, period = 300) => (SECONDS / period) * (1 - Math.exp(-(perMonth / SECONDS) * period));
const p = MEASURED.processor;
/** The bench's durations in seconds: the processor's warm one and what a cold start adds; the derivatives' at 12 MP. */
const processorWarmS = DURATIONS.processorWarmMs / 1000;
const processorColdExtraS = (DURATIONS.processorColdStartMs + DURATIONS.processorFirstEventMs) / 1000;
const photo = DURATIONS.derivativesMsByMegapixels.find((point) => point.megapixels === 12)!;

/** The dev stack by hand: processor 256 MB arm64, traced, 30 days of logs under the key; one index; PITR; one key; 9 alarms; a dashboard. */
function byHand(perDay: number) {
  const U = perDay * MONTH_DAYS;
  const rejected = 0.01 * U; // notice_rate
  const processed = U - rejected;
  const logGb = (U * 1500) / GiB;
  const rate = U / SECONDS;
  const gets = processed * p.processed.requests["s3:GetObject"] + rejected * p.rejected.requests["s3:GetObject"];
  const writes =
    processed * p.processed.requests["dynamodb:PutItem"] +
    rejected * (p.rejected.requests["dynamodb:PutItem"] + p.rejected.requests["dynamodb:UpdateItem"]);
  const items = U * HALF;
  return {
    "Lambda requests": U * 0.2e-6,
    // Warm, and 1 % cold adding INIT and the tracing set-up; 0.25 GB; $0.0000133334 per arm64 GB-second.
    "Lambda compute": U * (processorWarmS + 0.01 * processorColdExtraS) * 0.25 * 0.0000133334,
    "logs ingested": logGb * 0.5,
    "logs stored": logGb * HALF * 0.03,
    "X-Ray": SECONDS * (Math.min(rate, 1) + 0.05 * Math.max(0, rate - 1)) * 5e-6,
    "S3 PUTs": U * 0.005e-3,
    "S3 storage": ((U * 3.6e6 * HALF) / GiB) * 0.023,
    "S3 GETs": gets * 0.0004e-3,
    // Every write also writes the one index.
    "DynamoDB writes": writes * 2 * 0.625e-6,
    "DynamoDB index reads": ((U * 1000) / 8192) * 0.125e-6,
    "DynamoDB storage": ((items * (1100 + 400)) / GiB) * 0.25,
    // Point-in-time recovery is billed on the table's size alone.
    "DynamoDB PITR": ((items * 1100) / GiB) * 0.2,
    "SNS publishes": rejected * 0.5e-6,
    KMS: 1,
    // The table and the log group in use with every invocation, the topic with every notice.
    "KMS requests": (2 * dataKeys(U) + dataKeys(rejected)) * 0.03e-4,
    alarms: 9 * 0.1,
    // ImageProcessing's nine metrics and ColdStart.
    "custom metrics": 10 * 0.3,
    dashboard: 3,
  };
}

const WHICH: Record<string, (l: CostLine) => boolean> = {
  "Lambda requests": (l) => l.component.startsWith("Lambda ImageProcessor") && l.item === "requests",
  "Lambda compute": (l) => l.component.startsWith("Lambda ImageProcessor") && l.item.startsWith("compute"),
  "logs ingested": (l) => l.component.startsWith("Lambda ImageProcessor") && l.item === "logs ingested",
  "logs stored": (l) => l.component.startsWith("Lambda ImageProcessor") && l.item.startsWith("logs stored"),
  "X-Ray": (l) => l.component.startsWith("Lambda ImageProcessor") && l.item.startsWith("X-Ray"),
  "S3 PUTs": (l) => l.component === "S3 images" && l.item.startsWith("PUTs"),
  "S3 storage": (l) => l.component === "S3 images" && l.item.startsWith("storage"),
  "S3 GETs": (l) => l.component === "S3 images" && l.item.startsWith("GETs"),
  "DynamoDB writes": (l) => l.component === "DynamoDB metadata" && l.item.startsWith("writes"),
  "DynamoDB index reads": (l) => l.component === "DynamoDB metadata" && l.item.startsWith("reads of the index"),
  "DynamoDB storage": (l) => l.component === "DynamoDB metadata" && l.item.startsWith("storage"),
  "DynamoDB PITR": (l) => l.component === "DynamoDB metadata" && l.item.startsWith("point-in-time"),
  "SNS publishes": (l) => l.component === "SNS notifications" && l.item.startsWith("publishes"),
  KMS: (l) => l.component === "KMS" && l.item.startsWith("customer managed key"),
  "KMS requests": (l) => l.component === "KMS" && l.item.startsWith("requests"),
  alarms: (l) => l.component === "CloudWatch" && l.item.startsWith("alarm"),
  "custom metrics": (l) => l.component === "CloudWatch" && l.item.startsWith("custom metrics"),
  dashboard: (l) => l.component === "CloudWatch" && l.item === "dashboard",
};

const sum = (lines: readonly CostLine[], which: (l: CostLine) => boolean) => lines.filter(which).reduce((s, l) => s + l.usdPerMonth, 0);

describe("the monthly estimate, recomputed by hand", () => {
  let plain: ReturnType<typeof fromSynthesized>;
  let derived: ReturnType<typeof fromSynthesized>;
  beforeAll(() => {
    plain = fromSynthesized(synthStack({ region: "us-east-1" }).tf);
    derived = fromSynthesized(synthStack({ region: "us-east-1", derivatives: EXAMPLE_RENDITIONS }).tf);
  });

  it.each([1_000, 10_000, 100_000])("matches line by line within 1 %% at %d uploads a day", (perDay) => {
    // Arrange
    const expected = byHand(perDay);

    // Act
    const report = costReport(plain, defaultUsage(perDay, 12), "us-east-1");

    // Assert: every line is one of the reviewer's, and each is within 1 %.
    const unmatched = report.lines.filter((l) => !Object.values(WHICH).some((w) => w(l)) && l.usdPerMonth > 0);
    expect(unmatched.map((l) => `${l.component} ${l.item}`)).toEqual([]);
    for (const [name, usd] of Object.entries(expected)) {
      const actual = sum(report.lines, WHICH[name]);
      expect({ name, ratio: Number((actual / usd).toFixed(2)) }).toEqual({ name, ratio: 1 });
    }
    expect(report.totalUsdPerMonth).toBeCloseTo(
      Object.values(expected).reduce((s, n) => s + n, 0),
      0,
    );
  });

  it.each([1_000, 10_000, 100_000])("adds the derivatives part's lines at %d uploads a day, by hand", (perDay) => {
    // Arrange
    const U = perDay * MONTH_DAYS;
    const processed = 0.99 * U;
    const d = MEASURED.derivatives.rendered.requests;
    // A 320 × 320 thumbnail and a 12 MP photo fitted in 1920 × 1920 (1920 × 1440), 0.12 bytes a pixel.
    const renditionBytes = (320 * 320 + 1920 * 1440) * 0.12;
    const expected = {
      // A 12 MP request warm, or cold (1 %), at 1.5 GB.
      compute: processed * ((0.99 * photo.warm + 0.01 * photo.cold) / 1000) * 1.5 * 0.0000133334,
      puts: processed * 2 * 0.005e-3,
      storage: ((processed * renditionBytes * HALF) / GiB) * 0.023,
      consistentReads: processed * d["dynamodb:GetItem"] * 0.125e-6,
      // The processor's GET and the derivatives' GET and HeadObject, beside the rejected images' GET.
      gets: (U + processed * (d["s3:GetObject"] + d["s3:HeadObject"])) * 0.0004e-3,
      // Send, receive, delete per message, and 5 idle long polls of 20 s.
      queue: (3 * processed + 5 * (SECONDS / 20)) * 0.4e-6,
    };

    // Act
    const lines = costReport(derived, defaultUsage(perDay, 12), "us-east-1").lines;

    // Assert
    const of = (component: string, item: string) => sum(lines, (l) => l.component.startsWith(component) && l.item.startsWith(item));
    const ratios = {
      compute: of("Lambda ImageDerivatives", "compute") / expected.compute,
      puts: of("S3 derivatives", "PUTs") / expected.puts,
      storage: of("S3 derivatives", "storage") / expected.storage,
      consistentReads: of("DynamoDB metadata", "consistent reads") / expected.consistentReads,
      gets: of("S3 images", "GETs") / expected.gets,
      queue: of("SQS", "ImageDerivatives") / expected.queue,
    };
    for (const [name, ratio] of Object.entries(ratios)) expect({ name, ratio: Number(ratio.toFixed(2)) }).toEqual({ name, ratio: 1 });
    // The idle dead-letter queues ask KMS for no data key; the derivatives queue per SQS's formula, B / D × (2P + C).
    expect(of("KMS", "requests")).toBeGreaterThan(0);
    // Seven more custom metrics: the six the derivatives function defines and its ColdStart.
    expect(of("CloudWatch", "custom metrics ImageDerivatives")).toBeCloseTo(7 * 0.3, 6);
  });
});
