import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CliError, EXIT } from "../../errors";
import { ASSUMPTIONS } from "./assumptions";

/**
 * What the estimate needs of the workload: given on the command line or in a usage file (YAML),
 * the rest the assumptions' defaults. Names follow Infracost's usage keys where one fits
 * (`monthly_requests` is uploads_per_day × the month; `storage_gb` follows from the size).
 */
export interface Usage {
  /** Images uploaded a day (to each pipeline instance). */
  readonly uploadsPerDay: number;
  /** Mean size of an upload, in megapixels: the renditions' pixels and the derivatives duration follow it. */
  readonly meanMegapixels: number;
  /** Mean stored size of an upload, in bytes (default: megapixels × the assumed bytes per megapixel). */
  readonly meanObjectBytes: number;
  /** Share of uploads that replace an existing key: the replaced version is kept as noncurrent. */
  readonly overwriteRate: number;
  /** Share of a month's uploads deleted in the month: a delete event each, the version kept as noncurrent. */
  readonly deletionRate: number;
  /** Share of uploads that send a notice (rejections; every upload with notifyOnSuccess). */
  readonly noticeRate: number;
  /** Days an upload is kept before its owner deletes it; undefined: kept. */
  readonly retentionDays?: number;
  /** Share of invocations that start cold (their INIT phase is billed). */
  readonly coldStartRate: number;
}

/** The usage file's keys, snake_case as Infracost's usage files write them, and the field each sets. */
export const USAGE_KEYS = {
  uploads_per_day: "uploadsPerDay",
  mean_megapixels: "meanMegapixels",
  mean_object_size_mb: "meanObjectBytes",
  overwrite_rate: "overwriteRate",
  deletion_rate: "deletionRate",
  notice_rate: "noticeRate",
  retention_days: "retentionDays",
  cold_start_rate: "coldStartRate",
} as const satisfies Record<string, keyof Usage>;

type UsageKey = keyof typeof USAGE_KEYS;
const RATES: readonly UsageKey[] = ["overwrite_rate", "deletion_rate", "notice_rate", "cold_start_rate"];

/** The defaults of what neither the command line nor a usage file gives. */
export function defaultUsage(uploadsPerDay: number, meanMegapixels: number): Usage {
  return {
    uploadsPerDay,
    meanMegapixels,
    meanObjectBytes: meanMegapixels * ASSUMPTIONS.uploadBytesPerMegapixel,
    overwriteRate: ASSUMPTIONS.overwriteRate,
    deletionRate: ASSUMPTIONS.deletionRate,
    noticeRate: ASSUMPTIONS.rejectedShare,
    coldStartRate: ASSUMPTIONS.coldStartRate,
  };
}

/**
 * A usage file's figures over the defaults; the command line's `--uploads-per-day` and
 * `--mean-megapixels` over both. Refused (exit 2) naming the key and what it takes.
 */
export function readUsageFile(path: string): Partial<Record<UsageKey, number>> {
  let parsed: unknown;
  try {
    parsed = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliError(`--usage-file ${path}: ${(error as Error).message}`, EXIT.usage);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new CliError(`--usage-file ${path}: expected a mapping of ${Object.keys(USAGE_KEYS).join(", ")}`, EXIT.usage);
  const out: Partial<Record<UsageKey, number>> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key === "version") continue;
    if (!(key in USAGE_KEYS))
      throw new CliError(`--usage-file ${path}: unknown key ${key}; the keys are ${Object.keys(USAGE_KEYS).join(", ")}`, EXIT.usage);
    const rate = RATES.includes(key as UsageKey);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (rate && value > 1) || (!rate && value === 0))
      throw new CliError(
        `--usage-file ${path}: ${key} must be ${rate ? "a share from 0 to 1" : "a positive number"}; got ${JSON.stringify(value)}`,
        EXIT.usage,
      );
    out[key as UsageKey] = value;
  }
  return out;
}

/** The usage the estimate takes: defaults, then the file's keys, then what the command line gave. */
export function resolveUsage(file: Partial<Record<UsageKey, number>>, given: { uploadsPerDay?: number; meanMegapixels?: number }): Usage {
  const uploadsPerDay = given.uploadsPerDay ?? file.uploads_per_day;
  if (uploadsPerDay === undefined) throw new CliError("give --uploads-per-day, or uploads_per_day in the --usage-file", EXIT.usage);
  const meanMegapixels = given.meanMegapixels ?? file.mean_megapixels ?? ASSUMPTIONS.meanMegapixels;
  const usage: Record<string, number | undefined> = { ...defaultUsage(uploadsPerDay, meanMegapixels) };
  for (const [key, field] of Object.entries(USAGE_KEYS)) {
    const value = file[key as UsageKey];
    if (value === undefined || field === "uploadsPerDay" || field === "meanMegapixels") continue;
    usage[field] = field === "meanObjectBytes" ? value * 1e6 : value;
  }
  if ((usage.overwriteRate ?? 0) + (usage.deletionRate ?? 0) > 1)
    throw new CliError("overwrite_rate and deletion_rate together must be at most 1", EXIT.usage);
  return usage as unknown as Usage;
}
