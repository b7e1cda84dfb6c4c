import { App } from "cdktf";
import { EnvironmentStack, type EnvironmentStackProps, type StateBackendConfig } from "./constructs/shipping/environment-stack";
import { stateBackendFrom } from "./constructs/shipping/state-backend";

/**
 * Remote state for every environment in the S3 bucket TF_STATE_BUCKET (in TF_STATE_REGION), which
 * must exist before `cdktf deploy` (docs/app.md, "Remote state"). Without it, local state: there is no
 * default bucket name, since whoever owns a bucket of that name would receive the state.
 */
const stateBackend: StateBackendConfig | undefined = stateBackendFrom(process.env);
if (!stateBackend) {
  process.stderr.write(
    "TF_STATE_BUCKET is not set: every stack keeps its Terraform state locally (terraform.<stack>.tfstate). Set it for shared environments.\n",
  );
}

/** Optional email for notifications and alarms, per environment: NOTIFICATION_EMAIL_DEV, ..._STAGING, ..._PROD. */
const emailFor = (environment: string) => process.env[`NOTIFICATION_EMAIL_${environment.toUpperCase()}`];

/** One entry per environment; each becomes the stack `image-processing-<environment>`. */
export const ENVIRONMENTS: readonly Omit<EnvironmentStackProps, "stateBackend" | "notificationEmail">[] = [
  // Disposable: destroy deletes its images, the table has no deletion protection, nobody need be alerted.
  { environment: "dev", region: "us-east-1", dataProtection: false },
  { environment: "staging", region: "us-east-1" },
  {
    environment: "prod",
    region: "us-east-1",
    logRetentionDays: 365,
    // Caps the processor's share of the account's concurrency and the table's write rate.
    reservedConcurrency: 50,
  },
];

// No stack traces in the manifest's annotations: they would hold this machine's paths.
for (const env of ENVIRONMENTS) {
  const variable = `NOTIFICATION_EMAIL_${env.environment.toUpperCase()}`;
  if (env.dataProtection !== false && !process.env[variable]) {
    process.stderr.write(
      `${variable} is not set: the ${env.environment} stack's alarms reach no one. Set it to the address that receives them.\n`,
    );
  }
}

const app = new App({ stackTraces: false });
for (const env of ENVIRONMENTS) {
  new EnvironmentStack(app, `image-processing-${env.environment}`, {
    ...env,
    notificationEmail: emailFor(env.environment),
    ...(stateBackend ? { stateBackend } : {}),
  });
}
app.synth();
