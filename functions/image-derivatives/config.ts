import { ConfigError } from "../image-processor/config";
import { PROCESSOR_DEFAULTS } from "../image-processor/environment";
import { ResolvedRendition, renditionProblems, resolveRenditions } from "./core/renditions";
import { DERIVATIVES_DEFAULTS, DERIVATIVES_ENV } from "./environment";

export interface DerivativesConfig {
  readonly tableName: string;
  readonly bucketName: string;
  readonly environment: string;
  readonly renditions: readonly ResolvedRendition[];
  readonly maxSourceBytes: number;
  readonly maxImagePixels: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const required = (env: Env, name: string): string => {
  const value = env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is required but not set`);
  return value;
};

const positiveInteger = (env: Env, name: string, fallback: number): number => {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new ConfigError(`Environment variable ${name} must be a positive integer; got ${JSON.stringify(value)}`);
  return parsed;
};

/** Reads and checks the configuration; throws a ConfigError naming the bad variable. */
export function loadDerivativesConfig(env: Env): DerivativesConfig {
  const text = required(env, DERIVATIVES_ENV.renditions);
  let renditions: unknown;
  try {
    renditions = JSON.parse(text);
  } catch {
    throw new ConfigError(`Environment variable ${DERIVATIVES_ENV.renditions} must be a JSON list of renditions; got ${JSON.stringify(text)}`);
  }
  // Terraform's jsonencode writes an optional attribute that was left out as null.
  if (Array.isArray(renditions)) {
    renditions = renditions.map((r) => (typeof r === "object" && r !== null ? Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) : r));
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
    maxImagePixels: positiveInteger(env, DERIVATIVES_ENV.maxImagePixels, PROCESSOR_DEFAULTS.maxImagePixels),
  };
}
