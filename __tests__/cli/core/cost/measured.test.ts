import { readFileSync } from "node:fs";
import { join } from "node:path";
import { derivativesMs, MEASURED } from "../../../../cli/core/cost/measured";

const BENCHMARKS = readFileSync(join(__dirname, "..", "..", "..", "..", "BENCHMARKS.md"), "utf8");

/** The figure cell of the BENCHMARKS.md row whose first cell starts so. */
function row(start: string): string {
  const rows = BENCHMARKS.split("\n").filter((l) => l.startsWith(`| ${start}`));
  if (rows.length !== 1) throw new Error(`expected one BENCHMARKS.md row starting ${start}, found ${rows.length}`);
  return rows[0].split("|")[2].trim();
}

describe("the measured figures the estimate uses", () => {
  it("are BENCHMARKS.md's, so a new measurement cannot leave the estimate behind", () => {
    // Arrange, Act
    const processorMs = Number(row("cost: GB-seconds per 1,000 images at 256 MB").match(/from (\d+) ms per image/)?.[1]);
    const getsP50 = Number(row("corpus: GETs per image p50").split("/")[0]);
    const warm = [1.92, 12, 24].map((mp) => ({
      megapixels: mp,
      ms: Number(row(`derivatives, ${mp} MP JPEG, warm`).match(/^(\d+) ms/)?.[1]),
    }));

    // Assert
    expect(MEASURED.processorMsPerImage).toBe(processorMs);
    expect(MEASURED.processorGetsPerImage).toBe(getsP50);
    expect(MEASURED.derivativesMsByMegapixels).toEqual(warm);
    expect(row("derivatives (thumbnail + large), 12 MP")).toBeTruthy();
  });

  it("interpolates the derivatives duration between measured sizes and holds the nearest outside them", () => {
    const [small, medium, large] = MEASURED.derivativesMsByMegapixels;

    expect(derivativesMs(small.megapixels)).toBe(small.ms);
    expect(derivativesMs(medium.megapixels)).toBe(medium.ms);
    expect(derivativesMs(0.5)).toBe(small.ms);
    expect(derivativesMs(48)).toBe(large.ms);
    // Halfway between 12 and 24 MP: halfway between their durations.
    expect(derivativesMs(18)).toBeCloseTo((medium.ms + large.ms) / 2, 9);
  });
});
