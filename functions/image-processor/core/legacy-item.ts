import { createHash } from "node:crypto";

/**
 * Items written by the original CloudFormation design's function (the CloudFormation stack this project
 * replaces; docs/migrating-from-cloudformation.md). That function kept one item per key,
 * under the MD5 of "bucket/key", with no version, sequencer or processor version. An adopted
 * table keeps those items where they are: the operators' backfill sends an `ObjectCreated:Adopt`
 * event for the key's current version, and the processor rewrites the item under its old id, so
 * the table keeps one item per image and no id anybody stored elsewhere goes stale.
 */
export const ADOPT_EVENT = "ObjectCreated:Adopt";

/** The id the original CloudFormation design's function gave a key's item (its `hashlib.md5(f"{bucket}/{key}")`, on the decoded key). */
export function legacyImageId(bucket: string, key: string): string {
  return createHash("md5").update(`${bucket}/${key}`, "utf8").digest("hex");
}
