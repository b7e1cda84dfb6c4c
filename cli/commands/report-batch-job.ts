// `image-pipeline report batch-job <id>`: what a Batch Operations backfill did, from its completion report.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { AwsClients } from "../aws";
import { type ReportManifest, reportManifestKey, summarizeReport } from "../core/batch-job";
import type { Deployment } from "../deployment";
import { CliError, EXIT } from "../errors";
import { type Io, line } from "../io";

const read = async (aws: AwsClients, bucket: string, key: string): Promise<string> => {
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return object.Body!.transformToString();
};

/** Reads the job's completion report (the job id checked on the command line: it becomes part of a key) (its manifest.json, then every result file) and prints succeeded / failed by reason. */
export async function reportBatchJob(
  aws: AwsClients,
  deployment: Deployment,
  jobId: string,
  options: { json: boolean },
  io: Io,
): Promise<number> {
  const jobs = deployment.batchJobs;
  if (!jobs)
    throw new CliError(`${deployment.source} names no Batch Operations jobs bucket: deploy the pipeline with batchOperations: true`);
  const key = reportManifestKey(jobId);
  const manifest: ReportManifest = JSON.parse(
    await read(aws, jobs.bucket, key).catch((error) => {
      throw new CliError(
        `no completion report for job ${jobId} at s3://${jobs.bucket}/${key} (${(error as Error).name}): the job is still running or ended before any task; see aws s3control describe-job --job-id ${jobId}`,
      );
    }),
  );
  const files = await Promise.all(manifest.Results.map((result) => read(aws, result.Bucket, result.Key)));
  const summary = summarizeReport(files);
  if (options.json) {
    line(io.stdout, JSON.stringify({ jobId, ...summary }, null, 2));
  } else {
    line(io.stdout, `Batch Operations job ${jobId}: ${summary.succeeded} tasks succeeded, ${summary.failed} failed.`);
    for (const { outcome, tasks } of summary.succeededByOutcome) line(io.stdout, `  succeeded  ${String(tasks).padStart(8)}  ${outcome}`);
    for (const { reason, tasks } of summary.failedByReason) line(io.stdout, `  failed     ${String(tasks).padStart(8)}  ${reason}`);
  }
  return summary.failed > 0 ? EXIT.failed : EXIT.ok;
}
