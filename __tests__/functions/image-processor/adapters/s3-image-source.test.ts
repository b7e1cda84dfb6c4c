// Failures the emulator cannot produce on demand (throttling, 5xx, a version turned into a
// delete marker) are simulated here with aws-sdk-client-mock; the happy paths run against
// moto in the integration suite.
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { S3ImageSource } from "../../../../functions/image-processor/adapters/s3-image-source";
import { isMissing } from "../../../../functions/shared/s3-errors";
import type { ObjectRef } from "../../../../functions/image-processor/core/object-ref";
import { UnreadableObjectError } from "../../../../functions/image-processor/ports";

const ref: ObjectRef = {
  bucket: "b",
  key: "k.jpg",
  versionId: "v1",
  sequencer: "0A",
  size: 100,
  eventName: "ObjectCreated:Put",
  eventTime: "2026-11-27T10:00:00Z",
};

const s3Error = (name: string, status: number, message?: string) =>
  new S3ServiceException({ name, message, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status } });

describe("S3ImageSource", () => {
  const s3 = mockClient(S3Client);
  const source = new S3ImageSource(new S3Client({ region: "eu-west-1", maxAttempts: 1 }));
  beforeEach(() => s3.reset());

  it("asks for the event's version", async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 100, ContentType: "image/jpeg", ETag: '"e"', VersionId: "v1" });

    expect(await source.head(ref)).toEqual({ size: 100, contentType: "image/jpeg", eTag: '"e"', versionId: "v1" });
    expect(s3.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({ Bucket: "b", Key: "k.jpg", VersionId: "v1" });
  });

  it.each([
    ["NotFound", 404],
    ["NoSuchKey", 404],
    ["NoSuchVersion", 404],
    ["MethodNotAllowed", 405], // the version id now names a delete marker
  ])("treats %s (%d) as a missing object, not a fault", async (name, status) => {
    s3.on(HeadObjectCommand).rejects(s3Error(name, status));
    s3.on(GetObjectCommand).rejects(s3Error(name, status));

    expect(await source.head(ref)).toBeUndefined();
    expect(await source.read(ref, 0, 10)).toBeUndefined();
  });

  it.each([
    ["SlowDown", 503],
    ["InternalError", 500],
    ["AccessDenied", 403],
  ])("throws %s (%d) so the event is retried", async (name, status) => {
    s3.on(HeadObjectCommand).rejects(s3Error(name, status));

    await expect(source.head(ref)).rejects.toMatchObject({ name });
    expect(isMissing(s3Error(name, status))).toBe(false);
  });

  // The shapes S3 gives (and the SDK parses) for objects no retry can read; the GLACIER and SSE-C
  // cases also run against moto in the integration suite. A KMS key the role may not use is
  // one moto cannot produce.
  it.each([
    ["InvalidObjectState", 403, "The operation is not valid for the object's storage class", "InvalidObjectState"],
    [
      "InvalidRequest",
      400,
      "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
      "InvalidRequest (SSE-C)",
    ],
    ["BadRequest", 400, undefined, "BadRequest (SSE-C)"],
    [
      "AccessDenied",
      403,
      "User: arn:aws:sts::1:assumed-role/ImageProcessor-dev/x is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:1:key/k",
      "AccessDenied (KMS)",
    ],
    ["KMS.DisabledException", 400, "arn:aws:kms:eu-west-1:1:key/k is disabled.", "KMS.DisabledException"],
  ])("reports %s (%d) as unreadable, final, with S3's code", async (name, status, message, code) => {
    s3.on(HeadObjectCommand).rejects(s3Error(name, status, message));
    s3.on(GetObjectCommand).rejects(s3Error(name, status, message));

    await expect(source.head(ref)).rejects.toMatchObject({ name: "UnreadableObjectError", code });
    await expect(source.read(ref, 0, 10)).rejects.toBeInstanceOf(UnreadableObjectError);
  });

  it("reads the null version by its id, so a later version is not read instead", async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: 100 });

    await source.head({ ...ref, versionId: "null" });

    expect(s3.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({ Bucket: "b", Key: "k.jpg", VersionId: "null" });
  });

  it("reads one bounded range and keeps no more than asked, even from a server that ignores Range", async () => {
    const whole = Buffer.alloc(1000, 7);
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(whole) } as any });

    const bytes = await source.read(ref, 64, 64);

    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: "b",
      Key: "k.jpg",
      VersionId: "v1",
      Range: "bytes=64-127",
    });
    expect(bytes).toHaveLength(64);
  });
});
