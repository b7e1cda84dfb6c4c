import type { CostLine } from "./cost-line";
import { PRICES } from "./prices";

/**
 * The lines with AWS's always-free allowances taken off, each allowance from the lines that draw on
 * it in order (the same account's other use of it is not known: `--free-tier` assumes none).
 */
export function applyFreeTier(lines: readonly CostLine[]): CostLine[] {
  const { source: _, ...allowances } = PRICES.freeTier;
  const left: Record<string, number> = { ...allowances };
  return lines.map((line) => {
    if (!line.freeTier) return line;
    const free = Math.min(line.quantity, left[line.freeTier]);
    left[line.freeTier] -= free;
    return free > 0
      ? {
          ...line,
          item: `${line.item} (free tier: ${Math.round(free * 1000) / 1000} off)`,
          usdPerMonth: (line.quantity - free) * line.usdPerUnit,
        }
      : line;
  });
}
