import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { ObjectHead } from "../core/outcome";
import type { ObjectRef } from "../core/object-ref";
import { type ImageSource, type KeyVersion, type OpenedObject, UnreadableObjectError } from "../ports";
import { isMissing, isUnsatisfiableRange, unreadableCode } from "../../shared/s3-errors";

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

/**
 * The object's whole size from a GET's headers: a ranged answer (206) states it after the slash of
 * `Content-Range: bytes 0-65535/1048576`; a server that ignored Range (200) sent the whole object,
 * so its Content-Length is the size.
 */
export function objectSize(answer: Pick<GetObjectCommandOutput, "ContentRange" | "ContentLength">): number {
  const total = /\/(\d+)\s*$/.exec(answer.ContentRange ?? "")?.[1];
  return total === undefined ? (answer.ContentLength ?? 0) : Number(total);
}

/**
 * Reads object versions from S3: bounded ranged GETs, never the whole object. The first GET
 * answers what a HeadObject would (size, type, ETag, version, time), and S3 refuses it for the
 * same reasons (404/405 gone; archived, SSE-C or a KMS key the role may not use).
 */
export class S3ImageSource implements ImageSource {
  constructor(private readonly client: S3Client) {}

  open(ref: ObjectRef, windowBytes: number): Promise<OpenedObject | undefined> {
    return orMissing(async () => {
      try {
        const answer = await this.get(ref, 0, windowBytes);
        const first = await this.body(answer, windowBytes);
        const head: ObjectHead = {
          size: objectSize(answer),
          contentType: answer.ContentType,
          eTag: answer.ETag,
          versionId: answer.VersionId,
          lastModified: answer.LastModified,
        };
        return { head, first };
      } catch (error) {
        if (!isUnsatisfiableRange(error)) throw error;
        // Only a 0-byte object answers the first window's range with 416, and that answer carries
        // none of the object's headers: a HeadObject tells its type, ETag and time, so its item is
        // the one every other empty upload gets. Rare (an empty upload), so the extra request is too.
        const head = await this.head(ref);
        // Not empty after all: the key was overwritten between the two (no version id). A fault, retried.
        if (head.size !== 0) throw error;
        return { head, first: new Uint8Array() };
      }
    });
  }

  read(ref: ObjectRef, start: number, length: number): Promise<Uint8Array | undefined> {
    return orMissing(async () => this.body(await this.get(ref, start, length), length));
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

  private get(ref: ObjectRef, start: number, length: number) {
    return this.client.send(
      new GetObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        VersionId: ref.versionId,
        Range: `bytes=${start}-${start + length - 1}`,
      }),
    );
  }

  private async body(answer: GetObjectCommandOutput, length: number): Promise<Uint8Array> {
    const bytes = (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
    // A server that ignores Range must not make the processor hold a whole image.
    return bytes.length > length ? bytes.subarray(0, length) : bytes;
  }

  private async head(ref: ObjectRef): Promise<ObjectHead> {
    const head = await this.client.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
    return {
      size: head.ContentLength ?? 0,
      contentType: head.ContentType,
      eTag: head.ETag,
      versionId: head.VersionId,
      lastModified: head.LastModified,
    };
  }
}
