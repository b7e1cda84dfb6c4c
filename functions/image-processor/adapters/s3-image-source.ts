import { GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import { ObjectHead } from "../core/outcome";
import { ObjectRef } from "../core/object-ref";
import { ImageSource, KeyVersion, UnreadableObjectError } from "../ports";

/**
 * S3 answers for a version that is gone: 404 (NotFound, NoSuchKey, NoSuchVersion), or
 * 405 when the version id now names a delete marker. Anything else is a fault.
 */
export function isMissing(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    name === "NotFound" ||
    name === "NoSuchKey" ||
    name === "NoSuchVersion" ||
    $metadata?.httpStatusCode === 404 ||
    $metadata?.httpStatusCode === 405
  );
}

/**
 * S3 answers that no retry changes: the object is in an archive storage class (GLACIER,
 * DEEP_ARCHIVE: InvalidObjectState), needs the customer's key (SSE-C: HEAD answers 400 with
 * no body, GET "InvalidRequest"), or is encrypted under a KMS key this role may not use
 * (AccessDenied naming KMS, or a KMS.* code). A plain AccessDenied is not among them: it is
 * often a policy still propagating, worth a retry.
 */
export function unreadableCode(error: unknown): string | undefined {
  const { name, message, $metadata } = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (name === "InvalidObjectState") return name;
  if (name?.startsWith("KMS.")) return name;
  if (name === "AccessDenied" && /\bKMS\b|kms:/i.test(message ?? "")) return "AccessDenied (KMS)";
  if (name === "InvalidRequest" && /encrypt|customer|SSE/i.test(message ?? "")) return "InvalidRequest (SSE-C)";
  if ($metadata?.httpStatusCode === 400 && (name === "BadRequest" || name === "400")) return "BadRequest (SSE-C)";
  return undefined;
}

const orMissing = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await call();
  } catch (error) {
    if (isMissing(error)) return undefined;
    const code = unreadableCode(error);
    if (code) throw new UnreadableObjectError(code, (error as Error).message || code);
    throw error;
  }
};

/** Reads object versions from S3: HeadObject and bounded ranged GETs, never the whole object. */
export class S3ImageSource implements ImageSource {
  constructor(private readonly client: S3Client) {}

  head(ref: ObjectRef): Promise<ObjectHead | undefined> {
    return orMissing(async () => {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }),
      );
      return { size: head.ContentLength ?? 0, contentType: head.ContentType, eTag: head.ETag, versionId: head.VersionId };
    });
  }

  async versions(bucket: string, key: string): Promise<readonly KeyVersion[]> {
    // One page is plenty: the newest versions come first, and only the newest matter here.
    const page = await this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 100 }));
    const all = [
      ...(page.Versions ?? []).map((v) => ({ versionId: v.VersionId ?? "null", isDeleteMarker: false, isLatest: v.IsLatest === true, at: v.LastModified?.getTime() ?? 0, key: v.Key })),
      ...(page.DeleteMarkers ?? []).map((m) => ({ versionId: m.VersionId ?? "null", isDeleteMarker: true, isLatest: m.IsLatest === true, at: m.LastModified?.getTime() ?? 0, key: m.Key })),
    ];
    return all
      .filter((v) => v.key === key)
      .sort((a, b) => b.at - a.at || Number(b.isLatest) - Number(a.isLatest))
      .map(({ versionId, isDeleteMarker, isLatest }) => ({ versionId, isDeleteMarker, isLatest }));
  }

  read(ref: ObjectRef, start: number, length: number): Promise<Uint8Array | undefined> {
    return orMissing(async () => {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: ref.bucket,
          Key: ref.key,
          VersionId: ref.versionId,
          Range: `bytes=${start}-${start + length - 1}`,
        }),
      );
      const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
      // A server that ignores Range must not make the processor hold a whole image.
      return bytes.length > length ? bytes.subarray(0, length) : bytes;
    });
  }
}
