import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import DURATIONS from "../../../cli/core/cost/durations.json";
import { PRICES } from "../../../cli/core/cost/prices";
import { runCli } from "../../helpers/run-cli";
import { synthStack } from "../../helpers/synth";

describe("image-pipeline cost", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cost-"));
    writeFileSync(join(dir, "us-east-1.json"), synthStack({ region: "us-east-1" }).json);
    writeFileSync(join(dir, "eu-west-1.json"), synthStack({ region: "eu-west-1" }).json);
    writeFileSync(
      join(dir, "existing.json"),
      synthStack({ region: "us-east-1", existingBucket: { name: "owners-photos" }, eventDelivery: "eventbridge" }).json,
    );
    writeFileSync(
      join(dir, "usage.yml"),
      "version: 0.1\nuploads_per_day: 10000\nmean_megapixels: 8\noverwrite_rate: 0.1\ndeletion_rate: 0.05\n",
    );
    writeFileSync(join(dir, "bad-usage.yml"), "uploads_per_day: 10000\noverwrite_rates: 0.1\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints a table with the prices' date, each line's basis and a total", async () => {
    const result = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000"], dir);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Estimate for month 1 at 1,000 uploads a day of 12 megapixels, us-east-1 prices of ${PRICES.asOf}:`);
    // The warm duration, and 1 % of what a cold start adds (INIT and the tracing set-up).
    const msAnImage = Math.round(DURATIONS.processorWarmMs + 0.01 * (DURATIONS.processorColdStartMs + DURATIONS.processorFirstEventMs));
    expect(result.stdout).toMatch(
      new RegExp(`Lambda ImageProcessor-dev .* compute at 256 MB, arm64, ${msAnImage} ms an image \\(1 % cold\\) .* measured`),
    );
    expect(result.stdout).toMatch(/│ total /);
  });

  it("reads as people write amounts: thousands separated, one of a unit in the singular", async () => {
    const result = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000000"], dir);

    // Half the month's 30,416,667 uploads of 3.6 MB on average through the first month, in GiB.
    expect(result.stdout).toMatch(/storage, current versions .* 50,990 GB-months +│ \$1,173 /);
    expect(result.stdout).toMatch(/customer managed key +│ 1 key +│/);
    expect(result.stdout).toMatch(/dashboard +│ 1 dashboard +│/);
  });

  it("prints JSON whose total is the sum of its lines, with what the figures rest on", async () => {
    const result = await runCli(
      ["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000000", "--mean-megapixels", "5", "--json"],
      dir,
    );
    const report = JSON.parse(result.stdout);

    expect(report.usage).toMatchObject({ uploadsPerDay: 1_000_000, meanMegapixels: 5, meanObjectBytes: 1_500_000 });
    expect(report.totalUsdPerMonth).toBeCloseTo(
      report.lines.reduce((s: number, l: any) => s + l.usdPerMonth, 0),
      2,
    );
    expect(report.basis.prices.asOf).toBe(PRICES.asOf);
    expect(report.basis.prices.sources.lambda).toBe("https://aws.amazon.com/lambda/pricing/");
    expect(report.basis.measured.durations.processorWarmMs).toBe(DURATIONS.processorWarmMs);
    expect(report.basis.measured.requestsPerImage.processor.processed.requests).toEqual({ "s3:GetObject": 1, "dynamodb:PutItem": 1 });
    expect(new Set(report.lines.map((l: any) => l.basis))).toEqual(new Set(["measured", "configured", "assumed"]));
  });

  it("refuses a region the price table does not hold, naming those it does, unless --region picks one", async () => {
    const refused = await runCli(["cost", "--stack", "eu-west-1.json", "--uploads-per-day", "1000"], dir);
    const given = await runCli(["--region", "us-west-2", "cost", "--stack", "eu-west-1.json", "--uploads-per-day", "1000"], dir);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `no prices for eu-west-1: the price table (cli/core/cost/prices.ts, ${PRICES.asOf}) holds for us-east-1, us-east-2, us-west-2`,
    );
    expect(given.code).toBe(0);
    expect(given.stdout).toContain("us-west-2 prices");
  });

  it("refuses a volume that is not a positive number", async () => {
    const result = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "-3"], dir);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--uploads-per-day must be a positive number");
  });

  it("takes the workload from a usage file, the command line over it, and refuses an unknown key with exit 2", async () => {
    const fromFile = await runCli(["cost", "--stack", "us-east-1.json", "--usage-file", "usage.yml", "--json"], dir);
    const overridden = await runCli(
      ["cost", "--stack", "us-east-1.json", "--usage-file", "usage.yml", "--uploads-per-day", "5", "--json"],
      dir,
    );
    const refused = await runCli(["cost", "--stack", "us-east-1.json", "--usage-file", "bad-usage.yml"], dir);
    const none = await runCli(["cost", "--stack", "us-east-1.json"], dir);

    expect(JSON.parse(fromFile.stdout).usage).toMatchObject({
      uploadsPerDay: 10_000,
      meanMegapixels: 8,
      overwriteRate: 0.1,
      deletionRate: 0.05,
    });
    expect(JSON.parse(fromFile.stdout).lines.map((l: any) => l.item)).toContainEqual(
      expect.stringMatching(/^LISTs \(a deletion's versions\)/),
    );
    expect(JSON.parse(overridden.stdout).usage.uploadsPerDay).toBe(5);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("unknown key overwrite_rates");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give --uploads-per-day, or uploads_per_day in the --usage-file");
  });

  it("shows storage accumulating month by month, and the key's rotation from its second year", async () => {
    const result = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "100000", "--months", "13", "--json"], dir);
    const report = JSON.parse(result.stdout);

    const totals = report.monthly.map((m: any) => m.totalUsdPerMonth);
    expect(totals).toHaveLength(13);
    for (let i = 1; i < totals.length; i++) expect(totals[i]).toBeGreaterThan(totals[i - 1]);
    expect(report.lines.find((l: any) => l.item.startsWith("rotated key material")).usdPerMonth).toBe(1);
    const bad = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1", "--months", "1.5"], dir);
    expect(bad.code).toBe(2);
  });

  it("breaks the estimate down by Terraform address, and takes the free tier off when asked", async () => {
    const byResource = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000", "--by-resource"], dir);
    const full = JSON.parse((await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000", "--json"], dir)).stdout);
    const free = JSON.parse(
      (await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000", "--json", "--free-tier"], dir)).stdout,
    );
    const conflict = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000", "--by-resource", "--json"], dir);

    expect(byResource.stdout).toMatch(/aws_lambda_function\.processor +│ \$/);
    expect(byResource.stdout).toMatch(/aws_s3_bucket\.images +│ \$/);
    expect(free.totalUsdPerMonth).toBeLessThan(full.totalUsdPerMonth);
    expect(free.lines.find((l: any) => l.item.startsWith("requests (free tier")).usdPerMonth).toBe(0);
    expect(conflict.code).toBe(2);
  });

  it("leaves an existing bucket's uploads and storage to its owner, and says so", async () => {
    const result = await runCli(["cost", "--stack", "existing.json", "--uploads-per-day", "1000"], dir);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("an existing bucket: its owner's uploads (PUTs) and storage are left out");
    expect(result.stdout).not.toMatch(/PUTs \(the uploads\)/);
    expect(result.stdout).toMatch(/GETs and HEADs/);
  });
});
