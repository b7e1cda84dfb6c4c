// Props that would have no effect in the configuration they are given in: each is refused at
// synth, naming the field and what it needs, instead of being ignored without a word. A prop whose
// effect is decided at plan time (the module passes variables, tokens, for everything) is never
// refused here: only a configuration known at synth to make the prop pointless is.
import type { EventDelivery } from "./event-queue-settings";
import type { ImageProcessingPipelineProps } from "./pipeline-props";
import { known, show } from "./rules";

/** The subscription protocols whose endpoints are email addresses: the ones `emailEveryNotice` is about. */
const EMAIL_PROTOCOLS: readonly string[] = ["email", "email-json"];

/**
 * The problems of the props given that would change nothing: `eventDelivery`, `accessLogging` and
 * `dataProtection` as resolved (defaults applied), the rest as given.
 */
export function ineffectivePropProblems(
  props: ImageProcessingPipelineProps,
  resolved: { readonly eventDelivery: EventDelivery; readonly accessLogging: boolean; readonly dataProtection: boolean },
): string[] {
  const problems: string[] = [];
  const noRenditions = props.derivatives === undefined || (known(props.derivatives) && props.derivatives.length === 0);
  for (const field of ["derivativesSettings", "derivativesCodeDir"] as const) {
    if (props[field] !== undefined && noRenditions) {
      problems.push(
        `${field} has no effect without derivatives (it is the derivatives function's): give derivatives, the renditions to make, or leave ${field} out`,
      );
    }
  }
  // Given as a token (the module's variable), batch_operations decides, and the module's validation says the same.
  if (props.inventoryKmsKeyArn !== undefined && known(props.batchOperations ?? false) && props.batchOperations !== true) {
    problems.push(
      "inventoryKmsKeyArn has no effect without batchOperations (it is the Batch Operations role's key to read inventory manifests with): set batchOperations: true, or leave inventoryKmsKeyArn out",
    );
  }
  const { eventDelivery, accessLogging, dataProtection } = resolved;
  if (props.eventQueue !== undefined && known(eventDelivery) && eventDelivery !== "eventbridge") {
    problems.push(
      `eventQueue has no effect without eventDelivery "eventbridge" (it is EventBridge delivery's queue); got eventDelivery ${show(eventDelivery)}`,
    );
  }
  // Beside existingBucket, accessLogRetentionDays is refused as an owner's setting (existing-bucket.ts).
  if (props.accessLogRetentionDays !== undefined && props.existingBucket === undefined && known(accessLogging) && !accessLogging) {
    problems.push(
      "accessLogRetentionDays has no effect without accessLogging (there is no log bucket to keep the logs in): " +
        `set accessLogging: true, or leave accessLogRetentionDays out${props.accessLogging === undefined ? " (accessLogging follows dataProtection, which is false)" : ""}`,
    );
  }
  if (props.emailEveryNotice === true && emailSubscribers(props) === "none") {
    problems.push(
      'emailEveryNotice has no effect without an email subscriber: give notificationEmail (or a subscription with protocol "email" or "email-json")',
    );
  }
  // It silences one warning: that of a data-protected pipeline whose topic no one receives.
  if (props.allowUnsubscribedNotifications === true && (anyoneHears(props) === "some" || (known(dataProtection) && !dataProtection))) {
    problems.push(
      "allowUnsubscribedNotifications has no effect here: it only accepts a data-protected pipeline whose topic has no subscriber " +
        "(no notificationEmail, subscriptions or alarmActions); leave it out",
    );
  }
  return problems;
}

/** Whether something is there: "some", "none", or "plan" when only the plan knows (a value given as a token may be null). */
type Presence = "some" | "none" | "plan";

/** A value that is there when given; one given as a token (a module variable) may be null. */
const presence = (value: unknown): Presence => (value === undefined ? "none" : known(value) ? "some" : "plan");

/** Whichever of `presences` says "some", else "plan" if one does, else "none". */
const anyOf = (...presences: Presence[]): Presence => (presences.includes("some") ? "some" : presences.includes("plan") ? "plan" : "none");

/** Whether the topic has an email subscriber: `notificationEmail` or an email subscription. */
function emailSubscribers(props: ImageProcessingPipelineProps): Presence {
  const subscriptions = props.subscriptions ?? [];
  const emailSubscriptions: Presence = !known(subscriptions)
    ? "plan"
    : anyOf(
        ...subscriptions.map((s) => (!known(s.protocol) ? "plan" : EMAIL_PROTOCOLS.includes(s.protocol) ? presence(s.endpoint) : "none")),
      );
  return anyOf(presence(props.notificationEmail), emailSubscriptions);
}

/** Whether the topic or the alarms reach anyone: an email subscriber, any subscription, any alarm action. */
function anyoneHears(props: ImageProcessingPipelineProps): Presence {
  const list = (values: readonly unknown[] | undefined): Presence =>
    values === undefined ? "none" : !known(values) ? "plan" : anyOf(...values.map(presence));
  return anyOf(presence(props.notificationEmail), list(props.subscriptions), list(props.alarmActions));
}
