import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { mapBounded } from "../../functions/image-processor/core/bounded-map";
import type { AwsClients } from "../aws";
import { daysBetween } from "../core/days";
import { type Format, render } from "../core/output";
import { type Deployment, need } from "../deployment";
import { EXIT } from "../errors";
import type { Io } from "../io";

/** Columns of the table and CSV output; JSON lines carry whole items. */
export const QUERY_COLUMNS = [
  "UploadTime",
  "Status",
  "ObjectKey",
  "VersionId",
  "DetectedFormat",
  "Width",
  "Height",
  "FileSize",
  "Reason",
] as const;

export interface QueryOptions {
  readonly from: Date;
  readonly to: Date;
  readonly status?: string;
  readonly format: Format;
}

/**
 * Visits every item whose upload time is in [from, to], page by page: one Query per UTC day on
 * the time index (its partition is the day), a few days at a time.
 */
export async function forEachItemBetween(
  aws: AwsClients,
  deployment: Deployment,
  window: { from: Date; to: Date; status?: string; attributes?: readonly string[] },
  visit: (items: Record<string, any>[]) => void,
): Promise<void> {
  const { from, to, status, attributes } = window;
  const names: Record<string, string> = {};
  if (status) names["#status"] = "Status";
  const projection = attributes?.map((attribute) => {
    names[`#${attribute}`] = attribute;
    return `#${attribute}`;
  });
  const values = {
    ":from": Math.floor(from.getTime() / 1000),
    ":to": Math.floor(to.getTime() / 1000),
    ...(status ? { ":status": status } : {}),
  };
  await mapBounded(daysBetween(from, to), 4, async (day) => {
    let start: Record<string, unknown> | undefined;
    do {
      const page: any = await need("table", deployment.table, deployment, () =>
        aws.documents.send(
          new QueryCommand({
            TableName: deployment.table,
            IndexName: deployment.timeIndex,
            KeyConditionExpression: "UploadDate = :day AND UploadTimestamp BETWEEN :from AND :to",
            FilterExpression: status ? "#status = :status" : undefined,
            ProjectionExpression: projection?.join(", "),
            ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
            ExpressionAttributeValues: { ":day": day, ...values },
            ExclusiveStartKey: start,
          }),
        ),
      );
      visit(page.Items ?? []);
      start = page.LastEvaluatedKey;
    } while (start);
  });
}

export async function query(aws: AwsClients, deployment: Deployment, options: QueryOptions, io: Io): Promise<number> {
  const items: Record<string, any>[] = [];
  await forEachItemBetween(aws, deployment, options, (page) => items.push(...page));
  items.sort((a, b) => a.UploadTimestamp - b.UploadTimestamp || String(a.ObjectKey).localeCompare(String(b.ObjectKey)));
  const rows =
    options.format === "jsonl"
      ? items
      : items.map((item) => ({ ...item, UploadTime: new Date(item.UploadTimestamp * 1000).toISOString() }));
  io.stdout.write(render(rows, QUERY_COLUMNS, options.format));
  return EXIT.ok;
}
