import MEASURED from "./requests-per-image.json";
import type { PipelineFacts } from "./pipeline-facts";
import { DAYS_PER_MONTH } from "./prices";
import type { Usage } from "./usage";

/** A path's requests by `<service>:<operation>` (requests-per-image.json, measured by the bench). */
type Requests = Readonly<Record<string, number>>;

/** The measured paths, as the bench wrote them. */
export const REQUESTS_PER_IMAGE = MEASURED;

/** What happens in a month, in events: uploads, deletions, and of the uploads those with a notice. */
export interface MonthEvents {
  readonly uploads: number;
  readonly deletions: number;
  readonly notices: number;
  readonly processed: number;
}

/**
 * The month's events: deletions are `deletion_rate` of the uploads, and once `retention_days` have
 * passed, every upload of that age too.
 */
export function monthEvents(usage: Usage, month: number): MonthEvents {
  const uploads = usage.uploadsPerDay * DAYS_PER_MONTH;
  const retained = usage.retentionDays !== undefined && month * DAYS_PER_MONTH > usage.retentionDays;
  const deletions = uploads * usage.deletionRate + (retained ? uploads * (1 - usage.overwriteRate - usage.deletionRate) : 0);
  const notices = uploads * usage.noticeRate;
  return { uploads, deletions, notices, processed: uploads - notices };
}

const add = (into: Record<string, number>, requests: Requests, times: number) => {
  for (const [request, n] of Object.entries(requests)) into[request] = (into[request] ?? 0) + n * times;
};

/** The month's requests of the processor and the derivatives function, by `<service>:<operation>`: each path's measured requests times its events. */
export function monthRequests(
  facts: PipelineFacts,
  events: MonthEvents,
): { processor: Record<string, number>; derivatives: Record<string, number> } {
  const p = MEASURED.processor;
  const withRenditions = facts.derivatives !== undefined;
  const processor: Record<string, number> = {};
  add(processor, (withRenditions ? p.processedRequestingRenditions : p.processed).requests, events.processed);
  add(processor, p.rejected.requests, events.notices);
  add(processor, (withRenditions ? p.deletedRequestingRenditions : p.deleted).requests, events.deletions);
  const derivatives: Record<string, number> = {};
  if (facts.derivatives) {
    // The PUTs follow the configured renditions; the rest of the path is the same for any number of them.
    const { "s3:PutObject": measuredPuts, ...rest } = MEASURED.derivatives.rendered.requests;
    add(derivatives, rest, events.processed);
    add(
      derivatives,
      { "s3:PutObject": (measuredPuts / MEASURED.derivatives.renditions) * facts.derivatives.renditions.length },
      events.processed,
    );
    // A deletion's request: the current version checked (a HeadObject), each rendition deleted (free).
    add(derivatives, { "s3:HeadObject": 1 }, events.deletions);
  }
  return { processor, derivatives };
}

/** Requests of one kind (`s3:GetObject`) in a set; 0 where none. */
export const count = (requests: Readonly<Record<string, number>>, request: string) => requests[request] ?? 0;
