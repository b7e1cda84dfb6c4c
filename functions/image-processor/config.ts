import type { ReadBudget } from "./core/read-header";
import { ConfigError, type Env, positiveInteger, required } from "../shared/config-values";
import { DERIVATIVES_QUEUE_ENV } from "../shared/derivative-request";
import { ENV, IMAGE_FORMATS, type ImageFormat, PROCESSOR_DEFAULTS } from "./environment";

/** The processor's settings, all from environment variables set by the stack. */
export interface ProcessorConfig {
  readonly tableName: string;
  readonly topicArn: string;
  readonly environment: string;
  /** The first ranged GET of every image, and the most bytes and GETs one image may cost. */
  readonly budget: ReadBudget;
  readonly formats: readonly ImageFormat[];
  /** Store GPS coordinates (personal data) rather than only whether there are some. */
  readonly recordGpsCoordinates: boolean;
  readonly maxImagePixels: number;
  readonly notifyOnSuccess: boolean;
  /** The derivatives queue, when the pipeline makes derivatives. */
  readonly derivativesQueueUrl?: string;
  /** Records of one invocation processed at the same time. */
  readonly concurrency: number;
}

const flag = (env: Env, name: string): boolean => {
  const value = env[name] ?? "false";
  if (value !== "true" && value !== "false") {
    throw new ConfigError(`Environment variable ${name} must be "true" or "false"; got ${JSON.stringify(value)}`);
  }
  return value === "true";
};

const formatList = (env: Env, name: string): ImageFormat[] => {
  const value = env[name];
  if (value === undefined || value === "") return [...PROCESSOR_DEFAULTS.formats];
  const formats = value.split(",").map((f) => f.trim());
  const unknown = formats.filter((f) => !(IMAGE_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new ConfigError(`Environment variable ${name} must list formats from ${IMAGE_FORMATS.join(", ")}; got ${JSON.stringify(value)}`);
  }
  return formats as ImageFormat[];
};

/** Reads and checks the configuration; throws a {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Env): ProcessorConfig {
  const budget: ReadBudget = {
    windowBytes: positiveInteger(env, ENV.readWindowBytes, PROCESSOR_DEFAULTS.readWindowBytes),
    maxGets: positiveInteger(env, ENV.maxReadGets, PROCESSOR_DEFAULTS.maxReadGets),
    maxBytes: positiveInteger(env, ENV.maxReadBytes, PROCESSOR_DEFAULTS.maxReadBytes),
  };
  if (budget.maxBytes < budget.windowBytes) {
    throw new ConfigError(
      `Environment variable ${ENV.maxReadBytes} (${budget.maxBytes}) must be at least ${ENV.readWindowBytes} (${budget.windowBytes})`,
    );
  }
  return {
    tableName: required(env, ENV.table),
    topicArn: required(env, ENV.topicArn),
    environment: required(env, ENV.environment),
    budget,
    formats: formatList(env, ENV.formats),
    recordGpsCoordinates: flag(env, ENV.recordGpsCoordinates),
    maxImagePixels: positiveInteger(env, ENV.maxImagePixels, PROCESSOR_DEFAULTS.maxImagePixels),
    notifyOnSuccess: flag(env, ENV.notifyOnSuccess),
    ...(env[DERIVATIVES_QUEUE_ENV] ? { derivativesQueueUrl: env[DERIVATIVES_QUEUE_ENV] } : {}),
    concurrency: 4,
  };
}
