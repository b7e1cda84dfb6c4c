// What the emulator cannot produce is simulated here with aws-sdk-client-mock: throttling and
// 5xx, S3's 405 for a version id that names a delete marker (moto answers 404 NoSuchVersion),
// SSE-C and KMS refusals (moto 5.2.5 serves an SSE-C object without its key and has no key
// policies), a server that ignores Range, and a key overwritten between a 416 and its HeadObject.
// The rest runs against moto in the integration suite (pipeline.integration.test.ts): the head
// from a ranged GET's headers, a deleted version, a delete marker, GLACIER, and an empty object.
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { S3ImageSource, objectSize } from "../../../../functions/image-processor/adapters/s3-image-source";
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

const body = (bytes: Uint8Array) => ({ transformToByteArray: async () => bytes }) as any;

describe("S3ImageSource", () => {
  const s3 = mockClient(S3Client);
  const source = new S3ImageSource(new S3Client({ region: "eu-west-1", maxAttempts: 1 }));
  beforeEach(() => s3.reset());

  it("keeps only the window and takes the size from Content-Length when a server ignores Range", async () => {
    s3.on(GetObjectCommand).resolves({ ContentLength: 1000, ContentType: "image/jpeg", Body: body(new Uint8Array(1000).fill(7)) });

    const opened = await source.open(ref, 64);

    expect(opened?.head).toEqual({ size: 1000, contentType: "image/jpeg" });
    expect(opened?.first).toHaveLength(64);
    expect(s3.commandCalls(HeadObjectCommand)).toEqual([]);
  });

  it("reads the whole size after Content-Range's slash", () => {
    expect(objectSize({ ContentRange: "bytes 0-65535/1048576", ContentLength: 65536 })).toBe(1048576);
    expect(objectSize({ ContentRange: "bytes 0-99/100", ContentLength: 100 })).toBe(100);
    expect(objectSize({ ContentLength: 5000 })).toBe(5000);
  });

  it.each([
    ["NotFound", 404],
    ["NoSuchKey", 404],
    ["NoSuchVersion", 404],
    ["MethodNotAllowed", 405], // the version id now names a delete marker
  ])("treats %s (%d) as a missing object, not a fault", async (name, status) => {
    s3.on(GetObjectCommand).rejects(s3Error(name, status));

    expect(await source.open(ref, 10)).toBeUndefined();
    expect(await source.read(ref, 0, 10)).toBeUndefined();
    expect(s3.commandCalls(HeadObjectCommand)).toEqual([]);
  });

  it.each([
    ["SlowDown", 503],
    ["InternalError", 500],
    ["AccessDenied", 403],
  ])("throws %s (%d) so the event is retried", async (name, status) => {
    s3.on(GetObjectCommand).rejects(s3Error(name, status));

    await expect(source.open(ref, 10)).rejects.toMatchObject({ name });
    await expect(source.read(ref, 0, 10)).rejects.toMatchObject({ name });
    expect(isMissing(s3Error(name, status))).toBe(false);
  });

  // The shapes S3 gives (and the SDK parses) for objects no retry can read, as a GetObject answers
  // them (its HeadObject answered SSE-C with a bare 400 BadRequest, still recognised for the
  // HeadObject of an empty object); GLACIER also runs against moto in the integration suite.
  it.each([
    ["InvalidObjectState", 403, "The operation is not valid for the object's storage class", "InvalidObjectState"],
    [
      "InvalidRequest",
      400,
      "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.",
      "InvalidRequest (SSE-C)",
    ],
    [
      "AccessDenied",
      403,
      "User: arn:aws:sts::1:assumed-role/ImageProcessor-dev/x is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:1:key/k",
      "AccessDenied (KMS)",
    ],
    ["KMS.DisabledException", 400, "arn:aws:kms:eu-west-1:1:key/k is disabled.", "KMS.DisabledException"],
  ])("reports %s (%d) as unreadable, final, with S3's code", async (name, status, message, code) => {
    s3.on(GetObjectCommand).rejects(s3Error(name, status, message));

    await expect(source.open(ref, 10)).rejects.toMatchObject({ name: "UnreadableObjectError", code });
    await expect(source.read(ref, 0, 10)).rejects.toBeInstanceOf(UnreadableObjectError);
  });

  it("reports an empty object's SSE-C HeadObject (400, no body) as unreadable", async () => {
    s3.on(GetObjectCommand).rejects(s3Error("InvalidRange", 416, "The requested range is not satisfiable"));
    s3.on(HeadObjectCommand).rejects(s3Error("BadRequest", 400));

    await expect(source.open(ref, 10)).rejects.toMatchObject({ name: "UnreadableObjectError", code: "BadRequest (SSE-C)" });
  });

  it("retries a key that is no longer empty after S3 answered its range with 416 (overwritten between the two)", async () => {
    s3.on(GetObjectCommand).rejects(s3Error("InvalidRange", 416, "The requested range is not satisfiable"));
    s3.on(HeadObjectCommand).resolves({ ContentLength: 100 });

    await expect(source.open({ ...ref, versionId: undefined }, 10)).rejects.toMatchObject({ name: "InvalidRange" });
  });

  it("reads the null version by its id, so a later version is not read instead", async () => {
    s3.on(GetObjectCommand).resolves({ ContentRange: "bytes 0-9/100", Body: body(new Uint8Array(10)) });

    await source.open({ ...ref, versionId: "null" }, 10);

    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: "b",
      Key: "k.jpg",
      VersionId: "null",
      Range: "bytes=0-9",
    });
  });

  it("reads one bounded range and keeps no more than asked, even from a server that ignores Range", async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(new Uint8Array(Buffer.alloc(1000, 7))) });

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
