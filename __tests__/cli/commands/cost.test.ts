import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRICES } from "../../../cli/core/cost/prices";
import { runCli } from "../../helpers/run-cli";
import { synthStack } from "../../helpers/synth";
import { ALARM_COUNTS } from "../../../constructs/interface/alarm-catalog";

describe("image-pipeline cost", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cost-"));
    writeFileSync(join(dir, "us-east-1.json"), synthStack({ region: "us-east-1" }).json);
    writeFileSync(join(dir, "eu-west-1.json"), synthStack({ region: "eu-west-1" }).json);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints a table with the prices' date, each line's basis and a total", async () => {
    const result = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000"], dir);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Monthly estimate at 1,000 uploads a day of 12 megapixels, us-east-1 prices of ${PRICES.asOf}:`);
    expect(result.stdout).toMatch(/Lambda ImageProcessor-dev .* compute at 256 MB, arm64, 232 ms each .* measured/);
    expect(result.stdout).toMatch(/│ total /);
  });

  it("reads as people write amounts: thousands separated, one of a unit in the singular", async () => {
    const result = await runCli(["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000000"], dir);

    expect(result.stdout).toMatch(/storage added .* 109,500 GB-months +│ \$2,519 /);
    expect(result.stdout).toMatch(/customer managed keys +│ 1 key +│/);
    expect(result.stdout).toMatch(/dashboards +│ 1 dashboard +│/);
    expect(result.stdout).toMatch(new RegExp(`alarms \\(one per metric each watches\\) +│ ${ALARM_COUNTS.processor} alarm metrics +│`));
  });

  it("prints JSON whose total is the sum of its lines, with what the figures rest on", async () => {
    const result = await runCli(
      ["cost", "--stack", "us-east-1.json", "--uploads-per-day", "1000000", "--mean-megapixels", "5", "--json"],
      dir,
    );
    const report = JSON.parse(result.stdout);

    expect(report.volume).toEqual({ uploadsPerDay: 1_000_000, meanMegapixels: 5 });
    expect(report.totalUsdPerMonth).toBeCloseTo(
      report.lines.reduce((s: number, l: any) => s + l.usdPerMonth, 0),
      2,
    );
    expect(report.basis.prices.asOf).toBe(PRICES.asOf);
    expect(report.basis.prices.sources.lambda).toBe("https://aws.amazon.com/lambda/pricing/");
    expect(report.basis.measured.processorMsPerImage).toBe(232);
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
});
