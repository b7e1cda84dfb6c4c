import { GetFunctionConfigurationCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { ENV, IMAGE_FORMATS, type ImageFormat } from "../../functions/image-processor/environment";
import { type BackfillKind, backfillRecord } from "../../functions/image-processor/core/backfill";
import { legacyImageId } from "../../functions/image-processor/core/legacy-item";
import { hasImageSuffix } from "../../functions/image-processor/core/key-suffix";
import { PROCESSOR_VERSION } from "../../functions/image-processor/core/outcome";
import { NULL_VERSION, imageId } from "../../functions/shared/image-id";
import type { AwsClients } from "../aws";
import { type Deployment, need } from "../deployment";
import { CliError, EXIT } from "../errors";
import { type Io, line } from "../io";
import { progressBar } from "../progress";
import { compareVersions } from "../core/versions";
import type { BackfillOptions } from "./backfill-options";
import { type StoredItem, currentVersions, deletedLegacyItems, recordedItems } from "./listing";

export type { BackfillOptions };

export interface BackfillSummary {
  listed: number;
  images: number;
  alreadyRecorded: number;
  reprocessed: number;
  /** Items of the original CloudFormation design's function rewritten in place (docs/migrating-from-cloudformation.md). */
  adopted: number;
  /** Items of the original CloudFormation design's function left as they are: only --reprocess rewrites them. */
  legacy: number;
  /** Items of the original CloudFormation design's function whose key has no current version: recorded as missing, in place. */
  adoptedDeleted: number;
  sent: number;
  events: number;
  failed: number;
  seconds: number;
  objectsPerSecond: number;
  /** Every key up to this one was handled: the --start-after of a resumed run. */
  resumeAfter?: string;
  interrupted: boolean;
}

/** The deployment's formats, read from its function: the source of truth the bucket's events are filtered by. */
export async function deployedFormats(aws: AwsClients, deployment: Deployment): Promise<ImageFormat[]> {
  const configuration = await need("function", deployment.functionName, deployment, () =>
    aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: deployment.functionName })),
  );
  const value = configuration.Environment?.Variables?.[ENV.formats] ?? "";
  const formats = value.split(",").filter((f): f is ImageFormat => (IMAGE_FORMATS as readonly string[]).includes(f));
  if (formats.length === 0)
    throw new CliError(`function ${deployment.functionName} has no ${ENV.formats}: is it this pipeline's processor?`);
  return formats;
}

/** What to send for one listed object, or "recorded" to send nothing. */
export type BackfillAction = { kind: BackfillKind; sequencer?: string } | { kind: "recorded"; legacy?: boolean };

/**
 * The decision for one current version, from its own item and the item the original CloudFormation design's
 * function wrote for its key (core/legacy-item.ts), each when there is one.
 */
export function backfillAction(
  own: StoredItem | undefined,
  legacy: StoredItem | undefined,
  versionId: string | undefined,
  reprocess: boolean,
): BackfillAction {
  const older = (item: StoredItem) => compareVersions(item.ProcessorVersion ?? "0", PROCESSOR_VERSION) < 0;
  if (own) return reprocess && older(own) ? { kind: "reprocess", sequencer: own.Sequencer } : { kind: "recorded" };
  if (legacy && legacy.ProcessorVersion === undefined) return reprocess ? { kind: "adopt" } : { kind: "recorded", legacy: true };
  // Adopted before: the item stands for this version, unless the key has had a newer upload since.
  if (legacy && legacy.VersionId === (versionId ?? NULL_VERSION)) {
    return reprocess && older(legacy) ? { kind: "adopt", sequencer: legacy.Sequencer } : { kind: "recorded" };
  }
  return { kind: "backfill" };
}

/**
 * Sends the bucket's existing images to the function as S3-shaped events (see
 * functions/image-processor/core/backfill.ts for how they are ordered against real events).
 */
export async function backfill(aws: AwsClients, deployment: Deployment, options: BackfillOptions, io: Io): Promise<number> {
  const region = await aws.s3.config.region();
  await need("bucket", deployment.bucket, deployment, () => aws.s3.send(new HeadBucketCommand({ Bucket: deployment.bucket })));
  const formats = await deployedFormats(aws, deployment);

  const summary: BackfillSummary = {
    listed: 0,
    images: 0,
    alreadyRecorded: 0,
    reprocessed: 0,
    adopted: 0,
    legacy: 0,
    adoptedDeleted: 0,
    sent: 0,
    events: 0,
    failed: 0,
    seconds: 0,
    objectsPerSecond: 0,
    interrupted: false,
  };
  const started = Date.now();
  const bar = progressBar(io, "images", ["sent", "recorded", "failed"]);
  bar.start(0);
  const inFlight: Promise<void>[] = [];
  const resume = resumeTracker(options.startAfter);

  const send = async (records: ReturnType<typeof backfillRecord>[], done: (ok: boolean) => void) => {
    const waitMs = options.rate ? ((summary.sent + records.length) / options.rate) * 1000 - (Date.now() - started) : 0;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    summary.sent += records.length;
    summary.events++;
    const payload = Buffer.from(JSON.stringify({ Records: records }));
    const task = aws.lambda
      .send(new InvokeCommand({ FunctionName: deployment.functionName, InvocationType: "Event", Payload: payload }))
      .then((answer) => {
        if (answer.StatusCode !== 202) throw new Error(`Lambda answered ${answer.StatusCode}, not 202`);
        done(true);
      })
      .catch((error) => {
        summary.failed += records.length;
        line(io.stderr, `invoke failed for ${records.length} objects (${(error as Error).message})`);
        done(false);
      });
    inFlight.push(task);
    if (inFlight.length >= options.concurrency) await inFlight.shift();
  };

  // Records wait here until a batch is full, so each event carries batchSize of them.
  let pending: { record: ReturnType<typeof backfillRecord>; key: string }[] = [];
  const flush = async (batch: typeof pending) => {
    const done = resume.dispatched(batch[batch.length - 1].key);
    if (options.dryRun) {
      summary.sent += batch.length;
      done(true);
    } else
      await send(
        batch.map((b) => b.record),
        done,
      );
  };
  let lastListed: string | undefined;

  try {
    for await (const page of currentVersions(aws, deployment.bucket, options)) {
      summary.listed += page.length;
      const images = page.filter((o) => hasImageSuffix(o.key, formats) && (!options.since || o.lastModified >= options.since));
      summary.images += images.length;
      bar.setTotal(summary.images);
      for (let i = 0; i < images.length && !io.signal.aborted; i += 100) {
        const chunk = images.slice(i, i + 100).map((object) => ({ object, id: imageId(deployment.bucket, object.key, object.versionId) }));
        const recorded = await recordedItems(
          aws,
          deployment,
          chunk.map((c) => c.id),
        );
        // Keys the original CloudFormation design's function recorded: looked up only for versions with no item of their own.
        const legacyIds = new Map(
          chunk.filter((c) => !recorded.has(c.id)).map((c) => [c.id, legacyImageId(deployment.bucket, c.object.key)]),
        );
        const legacy = legacyIds.size > 0 ? await recordedItems(aws, deployment, [...legacyIds.values()]) : new Map<string, StoredItem>();
        for (const { object, id } of chunk) {
          const legacyId = legacyIds.get(id);
          const action = backfillAction(
            recorded.get(id),
            legacyId === undefined ? undefined : legacy.get(legacyId),
            object.versionId,
            options.reprocess,
          );
          if (action.kind === "recorded") {
            summary.alreadyRecorded++;
            if (action.legacy) summary.legacy++;
          } else {
            if (action.kind === "reprocess") summary.reprocessed++;
            if (action.kind === "adopt") summary.adopted++;
            pending.push({ record: backfillRecord(deployment.bucket, region, object, action.kind, action.sequencer), key: object.key });
          }
          while (pending.length >= options.batchSize && !io.signal.aborted) await flush(pending.splice(0, options.batchSize));
        }
        bar.update(summary.sent + summary.alreadyRecorded, {
          sent: summary.sent,
          recorded: summary.alreadyRecorded,
          failed: summary.failed,
        });
      }
      if (io.signal.aborted) break;
      if (page.length > 0) lastListed = page[page.length - 1].key;
    }
    if (!io.signal.aborted) {
      if (pending.length > 0) await flush(pending);
      pending = [];
      // Everything listed is handled once the batches before its end are.
      if (lastListed !== undefined) resume.dispatched(lastListed)(true);
    }
    // A whole-bucket --reprocess also takes the original CloudFormation design's items of deleted keys (they are
    // outside the listing, so outside --since and --start-after's reach).
    if (options.reprocess && !options.since && options.startAfter === undefined && !io.signal.aborted) {
      let deleted: ReturnType<typeof backfillRecord>[] = [];
      const sendDeleted = async () => {
        summary.adoptedDeleted += deleted.length;
        if (options.dryRun) summary.sent += deleted.length;
        else await send(deleted, () => undefined);
        deleted = [];
      };
      for await (const object of deletedLegacyItems(aws, deployment, options.prefix)) {
        if (io.signal.aborted) break;
        deleted.push(backfillRecord(deployment.bucket, region, object, "adopt"));
        if (deleted.length >= options.batchSize) await sendDeleted();
      }
      if (deleted.length > 0 && !io.signal.aborted) await sendDeleted();
    }
    await Promise.all(inFlight);
  } finally {
    bar.stop();
  }

  if (summary.listed === 0) {
    line(
      io.stderr,
      `bucket ${deployment.bucket} has no objects${options.prefix ? ` under ${JSON.stringify(options.prefix)}` : ""}${options.startAfter ? ` after ${JSON.stringify(options.startAfter)}` : ""}: nothing to backfill`,
    );
  }
  summary.interrupted = io.signal.aborted;
  summary.seconds = (Date.now() - started) / 1000;
  summary.objectsPerSecond = Math.round((summary.sent + summary.alreadyRecorded) / Math.max(summary.seconds, 0.001));
  summary.resumeAfter = resume.handledUpTo();
  report(summary, options, io);
  if (summary.interrupted) return EXIT.interrupted;
  return summary.failed > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * The last key before which everything was sent and accepted, whatever order the invocations
 * finish in: batches are tracked in listing order, and a failed one stops the mark there.
 */
function resumeTracker(startAfter: string | undefined) {
  let handled = startAfter;
  let stopped = false;
  const window: { lastKey: string; state: "pending" | "ok" }[] = [];
  return {
    dispatched(lastKey: string) {
      if (stopped) return () => undefined;
      const entry = { lastKey, state: "pending" as "pending" | "ok" };
      window.push(entry);
      return (ok: boolean) => {
        if (!ok) {
          stopped = true;
          window.length = 0;
          return;
        }
        entry.state = "ok";
        while (!stopped && window[0]?.state === "ok") handled = window.shift()!.lastKey;
      };
    },
    handledUpTo: () => handled,
  };
}

function report(summary: BackfillSummary, options: BackfillOptions, io: Io) {
  if (options.json) {
    line(io.stdout, JSON.stringify(summary));
  } else {
    const verb = options.dryRun ? "would send" : "sent";
    line(
      io.stdout,
      `listed ${summary.listed} objects, ${summary.images} with an image key; ${verb} ${summary.sent}` +
        `${options.dryRun ? "" : ` in ${summary.events} events`}` +
        ` (${summary.reprocessed} to reprocess, ${summary.adopted + summary.adoptedDeleted} to adopt, ${summary.adoptedDeleted} of them of deleted keys),` +
        ` ${summary.alreadyRecorded} already recorded, ${summary.failed} failed;` +
        ` ${summary.seconds.toFixed(1)} s, ${summary.objectsPerSecond} objects/s`,
    );
  }
  if (summary.legacy > 0) {
    line(
      io.stderr,
      `${summary.legacy} items were written by the CloudFormation design's function: run with --reprocess to rewrite them in place`,
    );
  }
  const resume = summary.resumeAfter === undefined ? "" : ` --start-after ${JSON.stringify(summary.resumeAfter)}`;
  if (summary.interrupted) line(io.stderr, `interrupted: run the same command with${resume || " no --start-after"} to resume`);
  else if (summary.failed > 0)
    line(io.stderr, `${summary.failed} objects were not sent: run the same command with${resume || " no --start-after"} to retry them`);
}
