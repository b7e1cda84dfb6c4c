import { GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ObjectHead } from "../core/outcome";
import type { ObjectRef } from "../core/object-ref";
import { type ImageSource, type KeyVersion, UnreadableObjectError } from "../ports";
import { isMissing, unreadableCode } from "../../shared/s3-errors";

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
      const head = await this.client.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
      return {
        size: head.ContentLength ?? 0,
        contentType: head.ContentType,
        eTag: head.ETag,
        versionId: head.VersionId,
        lastModified: head.LastModified,
      };
    });
  }

  async versions(bucket: string, key: string): Promise<readonly KeyVersion[]> {
    // One page is plenty: the newest versions come first, and only the newest matter here.
    const page = await this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 100 }));
    const all = [
      ...(page.Versions ?? []).map((v) => ({
        versionId: v.VersionId ?? "null",
        isDeleteMarker: false,
        isLatest: v.IsLatest === true,
        at: v.LastModified?.getTime() ?? 0,
        key: v.Key,
      })),
      ...(page.DeleteMarkers ?? []).map((m) => ({
        versionId: m.VersionId ?? "null",
        isDeleteMarker: true,
        isLatest: m.IsLatest === true,
        at: m.LastModified?.getTime() ?? 0,
        key: m.Key,
      })),
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
