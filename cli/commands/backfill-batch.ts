// `image-pipeline backfill batch`: the bucket's images through S3 Batch
// Operations, which invokes the processor on every object of a manifest at a scale one machine
// cannot reach, and writes a completion report of every task.
import { randomUUID } from "node:crypto";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateJobCommand } from "@aws-sdk/client-s3-control";
import { hasImageSuffix } from "../../functions/image-processor/core/key-suffix";
import type { AwsClients } from "../aws";
import { type JobManifest, createJobRequest, manifestKey, manifestLine } from "../core/batch-job";
import { type Deployment, need } from "../deployment";
import { CliError, EXIT } from "../errors";
import { type Io, line } from "../io";
import { deployedFormats } from "./backfill";
import { currentVersions } from "./listing";

export interface BatchBackfillOptions {
  /**
   * s3://…/manifest.json of an S3 Inventory report, or s3://…/<file>.csv (Bucket,Key,VersionId);
   * none: the command writes one of the images under `prefix` (a given manifest lists its own objects).
   */
  readonly manifest?: { readonly uri: string; readonly bucket: string; readonly key: string };
  readonly prefix?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
}

/** Writes the CSV manifest of the bucket's current images (keys of the deployed formats' suffixes); returns its location and count. */
async function writeManifest(
  aws: AwsClients,
  deployment: Deployment,
  jobsBucket: string,
  partition: string,
  options: BatchBackfillOptions,
) {
  const formats = await deployedFormats(aws, deployment);
  const lines: string[] = [];
  for await (const page of currentVersions(aws, deployment.bucket, { prefix: options.prefix })) {
    for (const object of page)
      if (hasImageSuffix(object.key, formats)) lines.push(manifestLine(deployment.bucket, object.key, object.versionId));
  }
  const key = manifestKey(new Date());
  const objectArn = `arn:${partition}:s3:::${jobsBucket}/${key}`;
  if (options.dryRun)
    return { manifest: { kind: "csv", objectArn, eTag: "(the manifest's ETag, once written)" } as JobManifest, objects: lines.length };
  const put = await aws.s3.send(
    new PutObjectCommand({ Bucket: jobsBucket, Key: key, Body: lines.length ? `${lines.join("\n")}\n` : "", ContentType: "text/csv" }),
  );
  return { manifest: { kind: "csv", objectArn, eTag: put.ETag!.replace(/"/g, "") } as JobManifest, objects: lines.length };
}

/** A manifest given by its s3:// URI: an Inventory report's manifest.json, or a CSV in the batch format. */
async function givenManifest(
  aws: AwsClients,
  location: NonNullable<BatchBackfillOptions["manifest"]>,
  partition: string,
): Promise<JobManifest> {
  const { uri } = location;
  const head = await aws.s3.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key })).catch((error) => {
    throw new CliError(`manifest ${uri} cannot be read (${(error as Error).name}): is it there, and may you read it?`);
  });
  return {
    kind: location.key.endsWith("manifest.json") ? "inventory" : "csv",
    objectArn: `arn:${partition}:s3:::${location.bucket}/${location.key}`,
    eTag: head.ETag!.replace(/"/g, ""),
  };
}

export async function backfillWithBatchOperations(
  aws: AwsClients,
  deployment: Deployment,
  options: BatchBackfillOptions,
  io: Io,
): Promise<number> {
  const jobs = deployment.batchJobs;
  if (!jobs) {
    throw new CliError(
      `${deployment.source} names no Batch Operations role and jobs bucket: deploy the pipeline with batchOperations: true (module: batch_operations = true)`,
    );
  }
  const fn = await need("function", deployment.functionName, deployment, () =>
    aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: deployment.functionName })),
  );
  const [, partition, , , accountId] = fn.FunctionArn!.split(":");
  const { manifest, objects } = options.manifest
    ? { manifest: await givenManifest(aws, options.manifest, partition), objects: undefined }
    : await writeManifest(aws, deployment, jobs.bucket, partition, options);
  const request = createJobRequest({
    accountId,
    partition,
    functionArn: fn.FunctionArn!,
    roleArn: jobs.roleArn,
    jobsBucket: jobs.bucket,
    manifest,
    clientRequestToken: randomUUID(),
    description: `image-pipeline backfill of ${deployment.bucket}${options.prefix ? `/${options.prefix}` : ""}`,
  });

  if (options.dryRun) {
    line(io.stdout, JSON.stringify({ dryRun: true, objects, createJob: request }, null, 2));
    return EXIT.ok;
  }
  const { JobId } = await aws.s3control.send(new CreateJobCommand(request));
  const follow = {
    jobId: JobId,
    objects,
    manifest: manifest.objectArn,
    report: `s3://${jobs.bucket}/${request.Report.Prefix}/job-${JobId}/`,
    follow: `aws s3control describe-job --account-id ${accountId} --job-id ${JobId}`,
    summary: `image-pipeline report batch-job ${JobId}`,
  };
  if (options.json) line(io.stdout, JSON.stringify(follow, null, 2));
  else {
    line(io.stdout, `Batch Operations job ${JobId} created${objects === undefined ? "" : ` for ${objects} images`}.`);
    line(io.stdout, `  follow it:     ${follow.follow}`);
    line(io.stdout, `  when it ends:  ${follow.summary}   (the completion report: ${follow.report})`);
  }
  return EXIT.ok;
}
