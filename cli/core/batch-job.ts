// S3 Batch Operations for very large backfills: the manifest the command writes, the CreateJob
// request it sends, and the summary of a job's completion report. Pure: the command does the I/O.
import { parse } from "csv-parse/sync";
import { encodeEventKey } from "../../functions/image-processor/core/backfill";
import { BATCH_PREFIXES } from "../../constructs/naming/names";

/**
 * One line of a CSV manifest (S3BatchOperations_CSV_20180820): bucket, URL-encoded key, version id.
 * An object written before versioning (or in a bucket never versioned) has the version id `null`,
 * written out: Batch Operations recognizes `null` as a version id but fails every task whose
 * version id is an empty string ("Converting empty version ID strings in Amazon S3 Inventory
 * reports to null strings", https://docs.aws.amazon.com/AmazonS3/latest/userguide/inventory-configure-bops.html).
 */
export const manifestLine = (bucket: string, key: string, versionId?: string): string =>
  [bucket, encodeEventKey(key), versionId || "null"].join(",");

/** Where a job's manifest goes: s3://<jobs bucket>/manifests/<stamp>.csv. */
export const manifestKey = (now: Date): string => `${BATCH_PREFIXES.manifests}backfill-${now.toISOString().replace(/[:.]/g, "-")}.csv`;

/** The manifest the job reads: one the command wrote, or an S3 Inventory report's manifest.json. */
export interface JobManifest {
  readonly kind: "csv" | "inventory";
  /** `arn:<partition>:s3:::<bucket>/<key>` of the manifest object. */
  readonly objectArn: string;
  readonly eTag: string;
}

export interface JobInputs {
  readonly accountId: string;
  readonly partition: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly jobsBucket: string;
  readonly manifest: JobManifest;
  /** Idempotency token: the same request sent again creates no second job. */
  readonly clientRequestToken: string;
  readonly description: string;
  /** Higher runs first among the account's jobs (0 to 2147483647). */
  readonly priority?: number;
}

/**
 * The CreateJob request (S3 Control API, CreateJob): invoke the processor on every object of the
 * manifest with invocation schema 2.0, and write a completion report of every task to the jobs
 * bucket's reports/ prefix. No confirmation step: the command is the confirmation.
 */
export function createJobRequest(inputs: JobInputs) {
  const { manifest } = inputs;
  return {
    AccountId: inputs.accountId,
    ConfirmationRequired: false,
    Operation: {
      LambdaInvoke: {
        FunctionArn: inputs.functionArn,
        InvocationSchemaVersion: "2.0",
        UserArguments: { requestedBy: "image-pipeline backfill batch" },
      },
    },
    Manifest: {
      Spec:
        manifest.kind === "csv"
          ? {
              Format: "S3BatchOperations_CSV_20180820" as const,
              Fields: ["Bucket", "Key", "VersionId"] as ("Bucket" | "Key" | "VersionId")[],
            }
          : { Format: "S3InventoryReport_CSV_20161130" as const },
      Location: { ObjectArn: manifest.objectArn, ETag: manifest.eTag },
    },
    Report: {
      Bucket: `arn:${inputs.partition}:s3:::${inputs.jobsBucket}`,
      Format: "Report_CSV_20180820" as const,
      Enabled: true,
      Prefix: BATCH_PREFIXES.reports.replace(/\/$/, ""),
      ReportScope: "AllTasks" as const,
    },
    Priority: inputs.priority ?? 10,
    RoleArn: inputs.roleArn,
    ClientRequestToken: inputs.clientRequestToken,
    Description: inputs.description,
  };
}

/** `s3://bucket/key` as bucket and key. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** Where S3 writes a job's completion report: <prefix>/job-<id>/manifest.json. */
export const reportManifestKey = (jobId: string): string => `${BATCH_PREFIXES.reports}job-${jobId}/manifest.json`;

/** The completion report's top-level manifest (S3 User Guide, "S3 Batch Operations completion reports"). */
export interface ReportManifest {
  readonly Format: string;
  readonly Results: readonly { readonly TaskExecutionStatus: string; readonly Bucket: string; readonly Key: string }[];
}

export interface JobSummary {
  readonly succeeded: number;
  readonly failed: number;
  /** Failed tasks by their result message (the processor's reason, or S3's), most first. */
  readonly failedByReason: readonly { readonly reason: string; readonly tasks: number }[];
  /** Succeeded tasks by what the processor recorded (processed, rejected: …, skipped: …). */
  readonly succeededByOutcome: readonly { readonly outcome: string; readonly tasks: number }[];
}

/** The outcome of a succeeded task, without the reason's details that differ per object. */
const outcomeOf = (message: string) => message.split(":")[0].replace(/ \(already recorded.*$/, " (already recorded)");

/**
 * Counts the report's rows (Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode,
 * ResultMessage; S3 writes the HTTP status in the fifth column and the result code in the sixth).
 */
export function summarizeReport(csvFiles: readonly string[]): JobSummary {
  const failed = new Map<string, number>();
  const succeeded = new Map<string, number>();
  let ok = 0;
  let bad = 0;
  for (const text of csvFiles) {
    const rows: string[][] = parse(text, { relax_column_count: true, skip_empty_lines: true });
    for (const row of rows) {
      const status = row[3];
      const message = row[6] ?? "";
      if (status === "succeeded") {
        ok++;
        const outcome = outcomeOf(message);
        succeeded.set(outcome, (succeeded.get(outcome) ?? 0) + 1);
      } else {
        bad++;
        const reason = message || row[5] || row[4] || "no reason given";
        failed.set(reason, (failed.get(reason) ?? 0) + 1);
      }
    }
  }
  const sorted = (counts: Map<string, number>) => [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    succeeded: ok,
    failed: bad,
    failedByReason: sorted(failed).map(([reason, tasks]) => ({ reason, tasks })),
    succeededByOutcome: sorted(succeeded).map(([outcome, tasks]) => ({ outcome, tasks })),
  };
}
