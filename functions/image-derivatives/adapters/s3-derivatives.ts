import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { isMissing, unreadableCode } from "../../shared/s3-errors";
import { renditionMetadata } from "../core/renditions";
import type { RenditionBucket, SourceImages, SourceObjectRef, SourceRead } from "../ports";

/** Reads whole image versions, refusing (by the size S3 announces) any larger than the limit. */
export class S3SourceImages implements SourceImages {
  constructor(private readonly client: S3Client) {}

  async read(ref: SourceObjectRef, maxBytes: number): Promise<SourceRead> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, VersionId: ref.versionId }));
      const size = object.ContentLength ?? 0;
      if (size > maxBytes) {
        // Close the connection instead of reading a body the function must not hold.
        (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return { kind: "too-large", size };
      }
      return { kind: "read", bytes: (await object.Body?.transformToByteArray()) ?? new Uint8Array() };
    } catch (error) {
      if (isMissing(error)) return { kind: "missing" };
      const code = unreadableCode(error);
      if (code) return { kind: "unreadable", code };
      throw error;
    }
  }

  async currentVersion(bucket: string, key: string): Promise<string | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return head.VersionId ?? "null";
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

/** The derivatives bucket. Each rendition names the version it was made from, for audits. */
export class S3RenditionBucket implements RenditionBucket {
  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string, source: SourceObjectRef): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        Metadata: renditionMetadata(source.key, source.versionId),
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucketName, Key: key }));
  }
}
