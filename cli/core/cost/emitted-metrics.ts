import { DERIVATIVES_METRICS } from "../../../functions/image-derivatives/environment";
import { METRICS } from "../../../functions/image-processor/environment";

/** Powertools' cold-start metric (each handler's `captureColdStartMetric`): one more metric, with its own dimensions. */
export const COLD_START_METRIC = "ColdStart";

/**
 * The custom metrics each function emits (EMF), from the functions' own metric definitions: every
 * name is one CloudWatch metric (one dimension set: the environment and the service), billed per
 * metric-month whether or not an alarm watches it.
 */
export const EMITTED_METRICS = {
  processor: [...Object.values(METRICS), COLD_START_METRIC],
  derivatives: [...Object.values(DERIVATIVES_METRICS), COLD_START_METRIC],
} as const;
