// What the bucket holds and what the table recorded of it, as backfill and backfill --derivatives
// read them: current versions page by page, items by id, and the old design's items of deleted keys.
import { BatchGetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { HeadObjectCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import type { ListedObject } from "../../functions/image-processor/core/backfill";
import { legacyImageId } from "../../functions/image-processor/core/legacy-item";
import type { AwsClients } from "../aws";
import { type Deployment, need } from "../deployment";
import { isNotFound } from "../errors";

/** The current versions of the bucket's objects, page by page (memory stays that of one page). */
export async function* currentVersions(
  aws: AwsClients,
  bucket: string,
  options: { readonly startAfter?: string; readonly prefix?: string },
) {
  let keyMarker = options.startAfter;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await aws.s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: options.prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
    );
    yield (page.Versions ?? [])
      .filter((v) => v.IsLatest)
      .map(
        (v): ListedObject => ({
          key: v.Key!,
          versionId: v.VersionId,
          size: v.Size ?? 0,
          eTag: v.ETag,
          lastModified: v.LastModified ?? new Date(0),
        }),
      );
    // A page can end on a key that has only delete markers left: the listing goes on all the same.
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/** What is stored for an object: the fields a backfill decides by. */
export interface StoredItem {
  readonly Sequencer?: string;
  readonly ProcessorVersion?: string;
  readonly VersionId?: string;
}

/**
 * Items the original CloudFormation design's function wrote for keys that have no current version any more
 * (deleted before the move): the listing never meets them. One Scan of the table, then a
 * HeadObject per such item; each comes back as the object it recorded, at its old upload time.
 */
export async function* deletedLegacyItems(
  aws: AwsClients,
  deployment: Deployment,
  prefix: string | undefined,
): AsyncGenerator<ListedObject> {
  let start: Record<string, unknown> | undefined;
  do {
    const page: any = await aws.documents.send(
      new ScanCommand({
        TableName: deployment.table,
        FilterExpression: "attribute_not_exists(ProcessorVersion) AND BucketName = :bucket",
        ExpressionAttributeValues: { ":bucket": deployment.bucket },
        ProjectionExpression: "ImageId, ObjectKey, FileSize, UploadTimestamp",
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = item.ObjectKey;
      if (typeof key !== "string" || legacyImageId(deployment.bucket, key) !== item.ImageId) continue;
      if (prefix && !key.startsWith(prefix)) continue;
      const current = await aws.s3.send(new HeadObjectCommand({ Bucket: deployment.bucket, Key: key })).then(
        () => true,
        (error) => {
          if (isNotFound(error)) return false;
          throw error;
        },
      );
      if (!current) yield { key, size: Number(item.FileSize ?? 0), lastModified: new Date(Number(item.UploadTimestamp ?? 0) * 1000) };
    }
    start = page.LastEvaluatedKey;
  } while (start);
}

/** The items stored under these ids (by default their sequencer, processor version and version id). */
export async function recordedItems<T extends object = StoredItem>(
  aws: AwsClients,
  deployment: Deployment,
  ids: string[],
  projection = "ImageId, Sequencer, ProcessorVersion, VersionId",
  names?: Record<string, string>,
) {
  const found = new Map<string, T & { ImageId: string }>();
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((ImageId) => ({ ImageId }));
    while (keys && keys.length > 0) {
      const answer: any = await need("table", deployment.table, deployment, () =>
        aws.documents.send(
          new BatchGetCommand({
            RequestItems: { [deployment.table]: { Keys: keys!, ProjectionExpression: projection, ExpressionAttributeNames: names } },
          }),
        ),
      );
      for (const item of answer.Responses?.[deployment.table] ?? []) found.set(item.ImageId, item);
      keys = answer.UnprocessedKeys?.[deployment.table]?.Keys;
    }
  }
  return found;
}
