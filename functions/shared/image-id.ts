import { createHash } from "node:crypto";

/** The version id stored for objects uploaded while versioning was off (S3's own word for it). */
export const NULL_VERSION = "null";

/**
 * Deterministic id of one object version: the same event delivered again maps to the same
 * item. NUL separators keep ("a", "b/c") and ("a/b", "c") apart.
 */
export function imageId(bucket: string, key: string, versionId: string | undefined): string {
  return createHash("sha256")
    .update([bucket, key, versionId ?? NULL_VERSION].join("\u0000"))
    .digest("hex");
}
