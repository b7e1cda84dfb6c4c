import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DURATIONS, derivativesMs } from "../../../../cli/core/cost/measured";

const BENCHMARKS = readFileSync(join(__dirname, "..", "..", "..", "..", "BENCHMARKS.md"), "utf8");

/** The figure cell of the BENCHMARKS.md row whose first cell starts so. */
function row(start: string): string {
  const rows = BENCHMARKS.split("\n").filter((l) => l.startsWith(`| ${start}`));
  if (rows.length !== 1) throw new Error(`expected one BENCHMARKS.md row starting ${start}, found ${rows.length}`);
  return rows[0].split("|")[2].trim();
}

describe("the measured durations the estimate uses", () => {
  it("are BENCHMARKS.md's, warm and cold, so a new measurement cannot leave the estimate behind", () => {
    // Arrange, Act
    const processorMs = Number(row("cost: GB-seconds per 1,000 images at 256 MB").match(/from (\d+) ms per image/)?.[1]);
    const coldStart = Number(row("processor cold start: load bundle").match(/^(\d+) ms/)?.[1]);
    const firstEvent = Number(row("processor's first event").match(/^(\d+) ms/)?.[1]);
    const points = [1.92, 12, 24].map((mp) => ({
      megapixels: mp,
      warm: Number(row(`derivatives, ${mp} MP JPEG, warm`).match(/^(\d+) ms/)?.[1]),
      cold: Number(row(`derivatives (thumbnail + large), ${mp} MP JPEG, cold`).match(/^(\d+) ms/)?.[1]),
    }));

    // Assert
    expect(DURATIONS.processorWarmMs).toBe(processorMs);
    expect(DURATIONS.processorColdExtraMs).toBe(coldStart + firstEvent);
    expect(DURATIONS.derivativesMsByMegapixels).toEqual(points);
  });

  it("interpolates the derivatives duration between measured sizes and holds the nearest outside them", () => {
    const [small, medium, large] = DURATIONS.derivativesMsByMegapixels;

    expect(derivativesMs(small.megapixels, "warm")).toBe(small.warm);
    expect(derivativesMs(medium.megapixels, "cold")).toBe(medium.cold);
    expect(derivativesMs(0.5, "warm")).toBe(small.warm);
    expect(derivativesMs(48, "cold")).toBe(large.cold);
    expect(derivativesMs(18, "warm")).toBeCloseTo((medium.warm + large.warm) / 2, 9);
  });
});
