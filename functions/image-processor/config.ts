import { ENV, PROCESSOR_DEFAULTS } from "./environment";

/** The processor's settings, all from environment variables set by the stack. */
export interface ProcessorConfig {
  readonly tableName: string;
  readonly topicArn: string;
  readonly environment: string;
  /** Bytes per ranged GET; at most two windows are read per image. */
  readonly readWindowBytes: number;
  readonly maxImagePixels: number;
  readonly notifyOnSuccess: boolean;
  /** Records of one invocation processed at the same time. */
  readonly concurrency: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
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
  if (!Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new ConfigError(`Environment variable ${name} must be a positive integer; got ${JSON.stringify(value)}`);
  }
  return parsed;
};

const flag = (env: Env, name: string): boolean => {
  const value = env[name] ?? "false";
  if (value !== "true" && value !== "false") {
    throw new ConfigError(`Environment variable ${name} must be "true" or "false"; got ${JSON.stringify(value)}`);
  }
  return value === "true";
};

/** Reads and checks the configuration; throws a {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Env): ProcessorConfig {
  return {
    tableName: required(env, ENV.table),
    topicArn: required(env, ENV.topicArn),
    environment: required(env, ENV.environment),
    readWindowBytes: positiveInteger(env, ENV.readWindowBytes, PROCESSOR_DEFAULTS.readWindowBytes),
    maxImagePixels: positiveInteger(env, ENV.maxImagePixels, PROCESSOR_DEFAULTS.maxImagePixels),
    notifyOnSuccess: flag(env, ENV.notifyOnSuccess),
    concurrency: 4,
  };
}
