import { ALARM_ADDRESSES } from "./alarm-catalog";

/**
 * The Terraform names of the pipeline's elements in the environment stacks and the module, by
 * construct path under the pipeline (the derivatives child module uses the same paths from its
 * root). These names are public interface: plan reviewers read them and state is keyed by them.
 * Renaming one is a decision that ships with a `moved` block, written only from an address a release
 * had (address-history.ts); the address test lists every address, so no rename goes unnoticed.
 */
export const ADDRESSES: Readonly<Record<string, string>> = {
  // Each alarm's, from the alarm catalog.
  ...ALARM_ADDRESSES,

  "Aws/Identity": "current",
  "Aws/Region": "current",
  "Aws/Partition": "current",
  "Aws/RegionName": "region_name",
  "Aws/ConsoleHost": "console_host",
  NamePrefix: "name_prefix_with_hyphen",

  "Key/Key": "pipeline",
  "Key/Alias": "pipeline",

  "Store/Bucket": "images",
  "Store/PublicAccessBlock": "images",
  "Store/OwnershipControls": "images",
  "Store/Versioning": "images",
  "Store/Encryption": "images",
  "Store/Policy": "images",
  "Store/Lifecycle": "images",
  // The image bucket's logging configuration, which points at the access-log bucket.
  "Store/AccessLogs/Logging": "images",
  "Store/AccessLogs/Bucket": "access_logs",
  "Store/AccessLogs/PublicAccessBlock": "access_logs",
  "Store/AccessLogs/OwnershipControls": "access_logs",
  "Store/AccessLogs/Versioning": "access_logs",
  "Store/AccessLogs/Encryption": "access_logs",
  "Store/AccessLogs/Policy": "access_logs",
  "Store/AccessLogs/Lifecycle": "access_logs",
  ObjectCreatedNotification: "images",

  "Table/Table": "metadata",

  "Notifications/Topic": "notifications",
  "Notifications/Policy": "notifications",
  "Notifications/EmailSubscription": "email",
  "Notifications/Subscriptions": "subscribers",

  "DeadLetterQueue/Queue": "dead_letter",
  "DeadLetterQueue/Policy": "dead_letter",

  "Processor/Role": "processor",
  "Processor/LogGroup": "processor",
  "Processor/Policy": "processor",
  "Processor/DecryptImagesPolicy": "processor_decrypt_images",
  "Processor/Function": "processor",
  "Processor/AllowImageBucket": "allow_image_bucket",
  "Processor/AsyncInvokeConfig": "processor",
  "Processor/PolicyAttachments": "processor_extra",
  "Processor/VpcPolicy": "processor_vpc",

  "Monitoring/DashboardWithDerivatives": "dashboard_with_derivatives",
  "Monitoring/DashboardWithoutDerivatives": "dashboard_without_derivatives",
  "Monitoring/Dashboard": "pipeline",

  "Events/Rule": "uploads",
  "Events/Target": "uploads",
  "Events/Queue": "events",
  "Events/QueueRedrivePolicy": "events",
  "Events/QueuePolicy": "events",
  "Events/DeadLetterQueue/Queue": "events_dead_letter",
  "Events/DeadLetterQueue/Policy": "events_dead_letter",
  // On the processor's role, made by the event queue part (it owns the queue it grants).
  "Events/ConsumePolicy": "processor_events",
  "Events/QueueEvents": "processor_events",
  "Monitoring/DashboardWithEventQueue": "dashboard_with_event_queue",
  "Monitoring/DashboardWithDerivativesAndEventQueue": "dashboard_with_derivatives_and_event_queue",
  "Monitoring/DashboardWithoutEventQueue": "dashboard_without_event_queue",

  "BatchOperations/Store/Bucket": "batch_jobs",
  "BatchOperations/Store/PublicAccessBlock": "batch_jobs",
  "BatchOperations/Store/OwnershipControls": "batch_jobs",
  "BatchOperations/Store/Versioning": "batch_jobs",
  "BatchOperations/Store/Encryption": "batch_jobs",
  "BatchOperations/Store/Policy": "batch_jobs",
  "BatchOperations/Store/Lifecycle": "batch_jobs",
  "BatchOperations/Role": "batch_operations",
  "BatchOperations/Policy": "batch_operations",

  "Derivatives/Store/Bucket": "derivatives",
  "Derivatives/Store/PublicAccessBlock": "derivatives",
  "Derivatives/Store/OwnershipControls": "derivatives",
  "Derivatives/Store/Versioning": "derivatives",
  "Derivatives/Store/Encryption": "derivatives",
  "Derivatives/Store/Policy": "derivatives",
  "Derivatives/Store/Lifecycle": "derivatives",
  "Derivatives/Store/Logging": "derivatives",
  "Derivatives/DeadLetterQueue/Queue": "derivatives_dead_letter",
  "Derivatives/DeadLetterQueue/Policy": "derivatives_dead_letter",
  "Derivatives/Queue": "derivatives",
  "Derivatives/QueueRedrivePolicy": "derivatives",
  "Derivatives/QueuePolicy": "derivatives",
  "Derivatives/Role": "derivatives",
  "Derivatives/LogGroup": "derivatives",
  "Derivatives/Policy": "derivatives",
  "Derivatives/BucketKeyPolicy": "derivatives_bucket_key",
  "Derivatives/Function": "derivatives",
  "Derivatives/PolicyAttachments": "derivatives_extra",
  "Derivatives/VpcPolicy": "derivatives_vpc",
  "Derivatives/QueueEvents": "derivatives",
  // On the processor's role, made by the derivatives part (it owns the queue it grants).
  "Derivatives/RequestsPolicy": "processor_derivatives_requests",
};

/** The names of EventBridge delivery's elements (paths under Events/), none of which notification delivery has. */
export const EVENT_QUEUE_NAMES: ReadonlySet<string> = new Set(
  Object.entries(ADDRESSES)
    .filter(([path]) => path.startsWith("Events/"))
    .map(([, name]) => name),
);

/** The names of the derivatives part's elements (paths under Derivatives/), none of which the core uses. */
export const DERIVATIVES_NAMES: ReadonlySet<string> = new Set(
  Object.entries(ADDRESSES)
    .filter(([path]) => path.startsWith("Derivatives/"))
    .map(([, name]) => name),
);

/** The construct ids of the pipeline's parts (Store, Processor, ...): the first component of every named path. */
export const PIPELINE_PARTS: ReadonlySet<string> = new Set(Object.keys(ADDRESSES).map((path) => path.split("/")[0]));

/** The readable name of the element at `path` (construct ids under the pipeline), failing for a path without one. */
export function readableName(path: readonly string[]): string {
  const name = ADDRESSES[path.join("/")];
  if (name === undefined) {
    throw new Error(
      `${path.join("/")} has no Terraform name: give it one in ADDRESSES (constructs/naming/addresses.ts); names are public interface`,
    );
  }
  return name;
}
