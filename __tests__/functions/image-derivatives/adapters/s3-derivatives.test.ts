// A refusal the emulator cannot produce (moto 5.2.5 serves an SSE-C object without its key and has
// no key policies) is simulated here with aws-sdk-client-mock; the GET of a key's current version,
// its bytes wanted or not, runs against moto in the integration suite (derivatives*.integration.test.ts).
import { GetObjectCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { S3SourceImages } from "../../../../functions/image-derivatives/adapters/s3-derivatives";

const kmsDenied = () =>
  new S3ServiceException({
    name: "AccessDenied",
    message:
      "User: arn:aws:sts::1:assumed-role/ImageDerivatives-dev/x is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:1:key/k",
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
  });

describe("S3SourceImages.readCurrent", () => {
  const s3 = mockClient(S3Client);
  const source = new S3SourceImages(new S3Client({ region: "eu-west-1", maxAttempts: 1 }));
  beforeEach(() => s3.reset());

  it("names the refused version with a HeadObject, since S3's refusal does not, and asks nothing of the bytes", async () => {
    s3.on(GetObjectCommand).rejects(kmsDenied());
    s3.on(HeadObjectCommand).resolves({ VersionId: "v1" });
    const wanted = jest.fn(async () => true);

    const read = await source.readCurrent("b", "k.jpg", 1000, wanted);

    expect(read).toEqual({ current: "v1", source: { kind: "unreadable", code: "AccessDenied (KMS)" } });
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: "b", Key: "k.jpg" });
    expect(wanted).not.toHaveBeenCalled();
  });

  it("answers no current version when the key was deleted between the refusal and the HeadObject", async () => {
    s3.on(GetObjectCommand).rejects(kmsDenied());
    s3.on(HeadObjectCommand).rejects(new S3ServiceException({ name: "NotFound", $fault: "client", $metadata: { httpStatusCode: 404 } }));

    expect(await source.readCurrent("b", "k.jpg", 1000, async () => true)).toEqual({ current: undefined });
  });
});
