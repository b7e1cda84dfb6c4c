import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { isMissing, unreadableCode } from "../../shared/s3-errors";
import { renditionMetadata } from "../core/renditions";
import type { CurrentRead, RenditionBucket, SourceImages, SourceObjectRef } from "../ports";

/** Reads whole image versions, refusing (by the size S3 announces) any larger than the limit. */
export class S3SourceImages implements SourceImages {
  constructor(private readonly client: S3Client) {}

  async readCurrent(bucket: string, key: string, maxBytes: number, wanted: (current: string) => Promise<boolean>): Promise<CurrentRead> {
    let object: GetObjectCommandOutput;
    try {
      object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      if (isMissing(error)) return { current: undefined };
      const code = unreadableCode(error);
      if (!code) throw error;
      // S3's refusal does not name the version it refused: a HeadObject does (it answers for an
      // archived object too). Rare, so the extra request is too.
      const current = await this.currentVersion(bucket, key);
      return current === undefined ? { current } : { current, source: { kind: "unreadable", code } };
    }
    const current = object.VersionId ?? "null";
    const size = object.ContentLength ?? 0;
    // Close the connection instead of reading a body the function must not hold, or does not need.
    const discard = () => (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
    let want = false;
    try {
      want = await wanted(current);
    } finally {
      if (!want) discard();
    }
    if (!want) return { current };
    if (size > maxBytes) {
      discard();
      return { current, source: { kind: "too-large", size } };
    }
    return { current, source: { kind: "read", bytes: (await object.Body?.transformToByteArray()) ?? new Uint8Array() } };
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
