import { ASSUMPTIONS as A } from "./assumptions";
import type { CostLine } from "./cost-line";
import type { PipelineFacts } from "./pipeline-facts";
import { DAYS_PER_MONTH, PRICES as P } from "./prices";
import type { MonthEvents } from "./requests";

type Add = (component: string, address: string) => (l: Omit<CostLine, "instance" | "component" | "address" | "usdPerMonth">) => void;

const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400;
/** The share of a month's reuse periods in which a resource is used at all: only those ask KMS for a data key. */
const activeShare = (perSecond: number, periodSeconds: number) => 1 - Math.exp(-perSecond * periodSeconds);

/** Rotations billed in month `month` of a key rotated every `days`: one more each period, the first two billed. */
export const billedRotations = (days: number | undefined, month: number) =>
  days === undefined ? 0 : Math.min(P.kms.billedRotations, Math.floor(((month - 1) * DAYS_PER_MONTH) / days));

/**
 * Keys, their rotations, and the requests the services make of them. An SQS queue per SQS's formula,
 * R = B / D × (2P + C) (one producer, one consumer: its reuse period's data keys), in the periods a
 * message flows (an idle dead-letter queue asks for none); the table, the topic and the log groups
 * one data key per 5 minutes in use.
 */
export function kmsLines(
  facts: PipelineFacts,
  month: number,
  events: MonthEvents,
  flows: { publishes: number; messagesOf: (role: string) => number },
  add: Add,
) {
  for (const key of facts.keys) {
    const kms = add("KMS", key.id);
    kms({ item: "customer managed key", quantity: 1, unit: "keys", usdPerUnit: P.kms.perKeyMonth, basis: "configured" });
    const rotations = billedRotations(key.rotationDays, month);
    if (key.rotationDays !== undefined)
      kms({
        item: `rotated key material (every ${key.rotationDays} days; month ${month})`,
        quantity: rotations,
        unit: "rotations",
        usdPerUnit: P.kms.perRotationMonth,
        basis: "configured",
      });
  }
  if (facts.keys.length === 0) return;
  const periods = (perMonth: number, seconds: number) => (SECONDS_PER_MONTH / seconds) * activeShare(perMonth / SECONDS_PER_MONTH, seconds);
  let requests = 0;
  for (const queue of facts.queues.filter((q) => q.encrypted))
    requests += periods(flows.messagesOf(queue.role), queue.dataKeyReuseSeconds) * (2 * 1 + 1);
  const invocations = events.uploads + events.deletions;
  if (facts.table?.encrypted) requests += periods(invocations, A.dataKeyReuseSeconds);
  if (facts.topic?.encrypted) requests += periods(flows.publishes, A.dataKeyReuseSeconds);
  requests += facts.encryptedLogGroups * periods(invocations, A.dataKeyReuseSeconds);
  if (requests > 0)
    add(
      "KMS",
      facts.keys[0].id,
    )({
      item: "requests (data keys: SQS's formula for queues, 5 minutes in use elsewhere)",
      quantity: requests,
      unit: "requests",
      usdPerUnit: P.kms.perRequest,
      basis: "assumed",
      freeTier: "kmsRequests",
    });
}
