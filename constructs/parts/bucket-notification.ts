// The image bucket's one notification configuration, and how the bucket's events reach the processor.
import type { Construct } from "constructs";
import { Fn, Token } from "cdktf";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { Counted } from "../support/counted";
import type { ImageStore } from "./image-store";
import type { ProcessorFunction } from "./processor-function";
import type { EventQueue } from "./event-queue";

/** Whether the bucket's events reach the processor through EventBridge: yes, no, or as the module's switch decides ("counted"). */
export interface EventDeliveryChoice {
  /** true when EventBridge delivery is made (known, or counted in or out at plan time); false for S3 notifications. */
  readonly eventBridge: boolean;
  /** Counted by the module's switch; a plain (uncounted) part otherwise. */
  readonly counted: Counted;
}

/** As `delivery` says; in the module, as its switch `planned` (a Terraform boolean) decides. */
export function eventDeliveryChoice(delivery: string, planned?: boolean): EventDeliveryChoice {
  if (planned !== undefined && Token.isUnresolved(planned)) return { eventBridge: true, counted: new Counted(planned) };
  return { eventBridge: delivery === "eventbridge", counted: new Counted() };
}

/**
 * The bucket's one notification configuration (S3 keeps one per bucket). With S3 notifications,
 * one for every new object whatever its key: S3's suffix filters are case-sensitive, so `.Jpg`
 * would slip past `.jpg` and `.JPG` filters; the processor takes the keys with its formats'
 * suffixes in any case and skips the rest. It waits for the permission, or S3 rejects the
 * configuration because it cannot invoke the function. With EventBridge delivery, the bucket
 * sends every event to EventBridge, whose rule does the filtering: it waits for the rule's target
 * and the function's mapping (`events`), so switching a deployed bucket from notifications to
 * EventBridge never sends an event before there is a rule to take it to the processor.
 */
export function notifyProcessor(
  scope: Construct,
  props: {
    store: ImageStore;
    processor: ProcessorFunction;
    propagateDeletions: boolean;
    delivery: EventDeliveryChoice;
    counted: Counted;
    events?: EventQueue;
  },
): S3BucketNotification {
  const { store, processor, delivery, counted } = props;
  const lambdaFunction = {
    id: "process-new-objects",
    lambdaFunctionArn: processor.function.arn,
    events: notificationEvents(props.propagateDeletions),
  };
  const notification = new S3BucketNotification(scope, "ObjectCreatedNotification", {
    bucket: counted.attribute(store.bucket, "id"),
    ...(delivery.eventBridge === true ? { eventbridge: true } : {}),
    ...(delivery.eventBridge === false ? { lambdaFunction: [lambdaFunction] } : {}),
    dependsOn: [...(processor.invokePermission ? [processor.invokePermission] : []), store.policy, ...(props.events?.deliveryPath ?? [])],
  });
  if (delivery.counted.counted) {
    // Decided at plan time (a module variable): EventBridge on, or the function's notification.
    notification.addOverride("eventbridge", delivery.counted.enabled);
    notification.addOverride("dynamic.lambda_function", {
      for_each: `\${${Token.asString(delivery.counted.enabled)} ? [] : [1]}`,
      content: { id: lambdaFunction.id, lambda_function_arn: lambdaFunction.lambdaFunctionArn, events: lambdaFunction.events },
    });
  }
  counted.countAll(notification);
  return notification;
}

/**
 * The bucket events the processor takes: creations, and deletions where they propagate (a module
 * variable: decided at plan time). The deletions are a user's (`ObjectRemoved`) and the bucket
 * lifecycle's (`LifecycleExpiration`: a noncurrent version expired, or a delete marker made for an
 * expired current one; https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configure-notification.html),
 * which EventBridge delivery receives as Object Deleted events too: both modes record the same.
 */
function notificationEvents(propagateDeletions: boolean): string[] {
  const created = ["s3:ObjectCreated:*"];
  const both = [...created, "s3:ObjectRemoved:*", "s3:LifecycleExpiration:*"];
  if (Token.isUnresolved(propagateDeletions)) return Token.asList(Fn.conditional(propagateDeletions, both, created));
  return propagateDeletions ? both : created;
}
