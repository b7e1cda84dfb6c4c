import { ConfigError, type Env, positiveInteger, required } from "../shared/config-values";
import { MAX_IMAGE_PIXELS } from "../shared/limits";
import { type ResolvedRendition, renditionProblems, resolveRenditions } from "./core/renditions";
import { DERIVATIVES_DEFAULTS, DERIVATIVES_ENV } from "./environment";

export interface DerivativesConfig {
  readonly tableName: string;
  readonly bucketName: string;
  readonly environment: string;
  readonly renditions: readonly ResolvedRendition[];
  readonly maxSourceBytes: number;
  readonly maxImagePixels: number;
  /** The function's memory in MB, which Lambda sets in AWS_LAMBDA_FUNCTION_MEMORY_SIZE; decodes are planned within it. */
  readonly memoryMb: number;
}

/** Reads and checks the configuration; throws a ConfigError naming the bad variable. */
export function loadDerivativesConfig(env: Env): DerivativesConfig {
  const text = required(env, DERIVATIVES_ENV.renditions);
  let renditions: unknown;
  try {
    renditions = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `Environment variable ${DERIVATIVES_ENV.renditions} must be a JSON list of renditions; got ${JSON.stringify(text)}`,
    );
  }
  // Terraform's jsonencode writes an optional attribute that was left out as null.
  if (Array.isArray(renditions)) {
    renditions = renditions.map((r) =>
      typeof r === "object" && r !== null ? Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) : r,
    );
  }
  const problems = renditionProblems(renditions, DERIVATIVES_ENV.renditions);
  if (Array.isArray(renditions) && renditions.length === 0) problems.push(`${DERIVATIVES_ENV.renditions} must list at least one rendition`);
  if (problems.length > 0) throw new ConfigError(problems.join("; "));
  return {
    tableName: required(env, DERIVATIVES_ENV.table),
    bucketName: required(env, DERIVATIVES_ENV.bucket),
    environment: required(env, DERIVATIVES_ENV.environment),
    renditions: resolveRenditions(renditions as never),
    maxSourceBytes: positiveInteger(env, DERIVATIVES_ENV.maxSourceBytes, DERIVATIVES_DEFAULTS.maxSourceBytes),
    maxImagePixels: positiveInteger(env, DERIVATIVES_ENV.maxImagePixels, MAX_IMAGE_PIXELS),
    memoryMb: positiveInteger(env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", DERIVATIVES_DEFAULTS.memorySize),
  };
}
