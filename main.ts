import { App } from "cdktf";
import { EnvironmentStack, EnvironmentStackProps, StateBackendConfig } from "./constructs/environment-stack";

/**
 * Remote state for every environment. The bucket must exist before `cdktf deploy`
 * (README: "Remote state"); set TF_STATE_BUCKET / TF_STATE_REGION to use your own.
 */
const stateBackend: StateBackendConfig = {
  bucket: process.env.TF_STATE_BUCKET || "image-processing-terraform-state",
  region: process.env.TF_STATE_REGION || "us-east-1",
};

/** Optional email for notifications and alarms, per environment: NOTIFICATION_EMAIL_DEV, ..._STAGING, ..._PROD. */
const emailFor = (environment: string) => process.env[`NOTIFICATION_EMAIL_${environment.toUpperCase()}`];

/** One entry per environment; each becomes the stack `image-processing-<environment>`. */
export const ENVIRONMENTS: readonly Omit<EnvironmentStackProps, "stateBackend" | "notificationEmail">[] = [
  { environment: "dev", region: "us-east-1" },
  { environment: "staging", region: "us-east-1" },
  {
    environment: "prod",
    region: "us-east-1",
    logRetentionDays: 365,
    // Caps the processor's share of the account's concurrency and the table's write rate.
    reservedConcurrency: 50,
  },
];

const app = new App();
for (const env of ENVIRONMENTS) {
  new EnvironmentStack(app, `image-processing-${env.environment}`, {
    ...env,
    notificationEmail: emailFor(env.environment),
    stateBackend,
  });
}
app.synth();
