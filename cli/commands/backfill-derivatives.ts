import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { type ItemState, planRequest } from "../../functions/image-derivatives/core/plan";
import { type ResolvedRendition, renditionProblems, resolveRenditions } from "../../functions/image-derivatives/core/renditions";
import { type DerivativeRequest, requestBody } from "../../functions/shared/derivative-request";
import { DERIVATIVES_ENV } from "../../functions/image-derivatives/environment";
import { imageId } from "../../functions/shared/image-id";
import type { AwsClients } from "../aws";
import { type Deployment, need } from "../deployment";
import { CliError, EXIT } from "../errors";
import { type Io, line } from "../io";
import { currentVersions, recordedItems } from "./listing";

/** What `image-pipeline backfill derivatives` is asked to do. */
export interface DerivativesBackfillOptions {
  readonly prefix?: string;
  readonly since?: Date;
  readonly startAfter?: string;
  /** Every rendition again, also for the versions a final outcome (too-large, ...) left without. */
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
}

export interface DerivativesBackfillSummary {
  listed: number;
  /** Current versions recorded as processed images. */
  processed: number;
  /** Of those, the ones with nothing to make: every rendition recorded with the current settings, or a final outcome (too-large, ...). */
  complete: number;
  /** Current versions with no item, or one that is not a processed image: nothing to make. */
  skipped: number;
  requested: number;
  failed: number;
  seconds: number;
  resumeAfter?: string;
  interrupted: boolean;
}

/** The renditions the deployed derivatives function makes, read from its configuration. */
async function deployedRenditions(aws: AwsClients, deployment: Deployment, functionName: string): Promise<ResolvedRendition[]> {
  const configuration = await need("derivatives function", functionName, deployment, () =>
    aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName })),
  );
  let renditions: unknown;
  try {
    renditions = JSON.parse(configuration.Environment?.Variables?.[DERIVATIVES_ENV.renditions] ?? "");
  } catch {
    renditions = undefined;
  }
  if (!Array.isArray(renditions) || renditions.length === 0 || renditionProblems(renditions).length > 0) {
    throw new CliError(`function ${functionName} has no valid ${DERIVATIVES_ENV.renditions}: is it this pipeline's derivatives function?`);
  }
  return resolveRenditions(renditions);
}

/**
 * `backfill derivatives`: asks the derivatives function for the renditions that recorded
 * images lack (none yet, or made with settings since changed), one queue message per image.
 * It decides with the function's own rule (core/plan.ts), so a dry run counts exactly what
 * the function would make, and a repeated run sends nothing for what is done.
 */
export async function backfillDerivatives(
  aws: AwsClients,
  deployment: Deployment,
  options: DerivativesBackfillOptions,
  io: Io,
): Promise<number> {
  if (!deployment.derivatives) {
    throw new CliError(
      `the pipeline of ${deployment.source} has no derivatives (no derivatives queue): configure \`derivatives\` and deploy first`,
    );
  }
  const { queueUrl, functionName } = deployment.derivatives;
  const renditions = await deployedRenditions(aws, deployment, functionName);
  const summary: DerivativesBackfillSummary = {
    listed: 0,
    processed: 0,
    complete: 0,
    skipped: 0,
    requested: 0,
    failed: 0,
    seconds: 0,
    interrupted: false,
  };
  const started = Date.now();
  let lastHandled = options.startAfter;

  const send = async (requests: DerivativeRequest[]) => {
    if (options.dryRun || requests.length === 0) return void (summary.requested += requests.length);
    const answer = await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: requests.map((r, i) => ({ Id: String(i), MessageBody: requestBody(r) })),
      }),
    );
    summary.requested += answer.Successful?.length ?? 0;
    summary.failed += answer.Failed?.length ?? 0;
    for (const failure of answer.Failed ?? [])
      line(io.stderr, `request for ${requests[Number(failure.Id)].key} not sent: ${failure.Code} ${failure.Message ?? ""}`);
  };

  for await (const page of currentVersions(aws, deployment.bucket, options)) {
    if (io.signal.aborted) break;
    summary.listed += page.length;
    const listed = page.filter((o) => !options.since || o.lastModified >= options.since);
    for (let i = 0; i < listed.length; i += 100) {
      const chunk = listed.slice(i, i + 100).map((object) => ({ object, id: imageId(deployment.bucket, object.key, object.versionId) }));
      const items = await recordedItems<ItemState>(
        aws,
        deployment,
        chunk.map((c) => c.id),
        "ImageId, Sequencer, #status, Derivatives, DerivativesStatus",
        { "#status": "Status" },
      );
      const requests: DerivativeRequest[] = [];
      for (const { object, id } of chunk) {
        const item = items.get(id);
        if (item?.Status !== "processed") {
          summary.skipped++;
          continue;
        }
        summary.processed++;
        const request: DerivativeRequest = {
          bucket: deployment.bucket,
          key: object.key,
          ...(object.versionId ? { versionId: object.versionId } : {}),
          imageId: id,
          sequencer: item.Sequencer,
          ...(options.force ? { force: true } : {}),
        };
        if (planRequest(request, item, renditions).kind === "done") summary.complete++;
        else requests.push(request);
      }
      for (let j = 0; j < requests.length; j += 10) await send(requests.slice(j, j + 10));
    }
    if (page.length > 0 && summary.failed === 0) lastHandled = page[page.length - 1].key;
  }
  summary.interrupted = io.signal.aborted;
  summary.seconds = (Date.now() - started) / 1000;
  summary.resumeAfter = lastHandled;
  if (options.json) line(io.stdout, JSON.stringify(summary));
  else {
    line(
      io.stdout,
      `listed ${summary.listed} objects, ${summary.processed} recorded as processed images; ${summary.complete} have every rendition, ` +
        `${options.dryRun ? "would request" : "requested"} ${summary.requested}, ${summary.failed} failed; ${summary.seconds.toFixed(1)} s`,
    );
  }
  const resume = summary.resumeAfter === undefined ? "" : ` --start-after ${JSON.stringify(summary.resumeAfter)}`;
  if (summary.interrupted) line(io.stderr, `interrupted: run the same command with${resume || " no --start-after"} to resume`);
  if (summary.interrupted) return EXIT.interrupted;
  return summary.failed > 0 ? EXIT.failed : EXIT.ok;
}
