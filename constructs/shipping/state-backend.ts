import type { StateBackendConfig } from "./environment-stack";

/**
 * The remote state settings an app reads from its environment: TF_STATE_BUCKET (required for
 * remote state) and TF_STATE_REGION (default us-east-1). Undefined without a bucket: local state,
 * never a fixed bucket name somebody else may own.
 */
export function stateBackendFrom(env: Readonly<Record<string, string | undefined>>): StateBackendConfig | undefined {
  const bucket = env.TF_STATE_BUCKET?.trim();
  if (!bucket) return undefined;
  return { bucket, region: env.TF_STATE_REGION?.trim() || "us-east-1" };
}
