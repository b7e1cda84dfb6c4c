// What the Terraform module decides at plan time, from the switches its callers set, handed by the
// module stacks (constructs/shipping) to the pipeline and its parts. Internal: not exported from the
// package (constructs/index.ts). Outside the module no stack registers any, and every part is made or
// not by whether its prop is given, never by the prop's value: any value may be a reference.
import type { Construct } from "constructs";
import { Token } from "cdktf";
import { throwIfInvalid } from "./config-error";

/** Each a Terraform boolean (a reference token) the plan knows, or absent: decided at synth as the props say. */
export interface PlanTimeSwitches {
  /** The pipeline makes and owns its image bucket (`create_bucket`); false: `existingBucket` names the caller's. */
  readonly createBucket?: boolean;
  /** The bucket used when `createBucket` is false (the module's variables, null otherwise): not a prop, which would be given. */
  readonly existingBucket?: { readonly name: string; readonly kmsKeyArn?: string };
  /** The pipeline makes its key (`create_kms_key`); false: `existingKmsKeyArn` is the caller's. */
  readonly createKmsKey?: boolean;
  /** The images are encrypted with a key given as `bucketKmsKeyArn` or `existingBucket.kmsKeyArn` (`attach_bucket_kms_key_policy`). */
  readonly bucketKmsKey?: boolean;
  /** An email address is subscribed to the topic (`notification_email` is not null). */
  readonly emailSubscription?: boolean;
  /** The functions run in the VPC (`vpc_subnet_ids` is not empty). */
  readonly vpc?: boolean;
  /** EventBridge delivery is made (`event_delivery` is "eventbridge"); else the bucket's notification invokes the processor. */
  readonly eventBridge?: boolean;
  /** S3 Batch Operations' part is made (`batch_operations`). */
  readonly batchOperations?: boolean;
  /**
   * S3 Inventory's reports are under a key of the caller's (`inventory_kms_key_arn` is not null): the Batch
   * Operations role's grant to decrypt them is in its policy. Not a count, so the ARN may be a reference.
   */
  readonly inventoryKmsKey?: boolean;
  /** The derivatives part, deployed by the module as a child module it counts: its queue's URL ("" without) and whether it is deployed. */
  readonly derivatives?: { readonly queueUrl: string; readonly enabled: boolean };
}

const SWITCHES = new WeakMap<Construct, PlanTimeSwitches>();

/** Registers the switches of a module stack: every pipeline and part under `stack` reads them. */
export function decideAtPlanTime(stack: Construct, switches: PlanTimeSwitches): void {
  SWITCHES.set(stack, switches);
}

/** The switches registered on `scope` or the nearest scope above it; none outside a module stack. */
export function planTimeSwitches(scope: Construct): PlanTimeSwitches {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const switches = SWITCHES.get(scopes[i]);
    if (switches) return switches;
  }
  return {};
}

/**
 * The switches for a pipeline at `scope`, refusing a prop that decides which resources exist
 * (`eventDelivery`, `batchOperations`) given as a reference with no module switch to decide it:
 * synth cannot tell what to make from a value the plan learns later.
 */
export function switchesFor(
  scope: Construct,
  props: { readonly eventDelivery: unknown; readonly batchOperations: unknown },
): PlanTimeSwitches {
  const switches = planTimeSwitches(scope);
  const decided = { eventDelivery: switches.eventBridge, batchOperations: switches.batchOperations };
  throwIfInvalid(
    (Object.keys(decided) as (keyof typeof decided)[])
      .filter((field) => Token.isUnresolved(props[field]) && decided[field] === undefined)
      .map(
        (field) =>
          `${field} must be a literal: it decides which resources exist, which synth decides; got a reference (a resource's attribute or a TerraformVariable)`,
      ),
  );
  return switches;
}
