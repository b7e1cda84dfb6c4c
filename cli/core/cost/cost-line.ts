import type { PRICES as P } from "./prices";

/** Where a line's quantity comes from: a measurement (BENCHMARKS.md, the bench), the configuration alone, or an assumption. */
export type Basis = "measured" | "configured" | "assumed";

export interface CostLine {
  readonly instance: string;
  readonly component: string;
  /** The Terraform address the charge belongs to (`--by-resource`); `(existing bucket)` for one the pipeline does not own. */
  readonly address: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usdPerMonth: number;
  readonly basis: Basis;
  /** The always-free allowance the quantity draws on (`--free-tier`), and the price of one unit. */
  readonly freeTier?: keyof typeof P.freeTier;
  readonly usdPerUnit: number;
}

export type Line = Omit<CostLine, "instance" | "component" | "address" | "usdPerMonth"> & { address?: string };

/** The Terraform address a line is charged to, with its module instance (`module.x["blue"].aws_s3_bucket.images`). */
export const resourceOf = (l: Pick<CostLine, "instance" | "address">): string =>
  l.instance && !l.address.startsWith("module.") && !l.address.startsWith("(") ? `${l.instance}.${l.address}` : l.address;
