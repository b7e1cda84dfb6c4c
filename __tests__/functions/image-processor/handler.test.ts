import { S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { Context } from "aws-lambda";
import { ENV } from "../../../functions/image-processor/environment";
import { onlyResource, synthStack } from "../../helpers/synth";
import { s3Event } from "../../fixtures";
import { loadHandler } from "../../helpers/load-handler";
import { resolveReferences } from "../../helpers/terraform-refs";

/** The function's environment as the stack synthesizes it, references resolved as Terraform would. */
function synthesizedEnvironment(): Record<string, string> {
  const stack = synthStack({ environment: "dev", region: "eu-west-1" });
  const variables: Record<string, string> = onlyResource(stack, "aws_lambda_function").environment.variables;
  // The topic's ARN is built from its name and the provider's account, region and partition.
  const provider: Record<string, string> = {
    "aws_caller_identity.account_id": "123456789012",
    "aws_region.region": "eu-west-1",
    "aws_partition.partition": "aws",
  };
  const arn = (type: string, attribute: string) => provider[`${type}.${attribute}`];
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolveReferences(value, stack.tf, arn)]));
}

const slowDown = () => new S3ServiceException({ name: "SlowDown", $fault: "server", $metadata: { httpStatusCode: 503 } });

const context = { functionName: "ImageProcessor-dev", awsRequestId: "req-1" } as Context;

describe("handler", () => {
  const env = synthesizedEnvironment();

  it("starts from exactly the environment the stack gives the function", () => {
    const { loadConfig } = jest.requireActual("../../../functions/image-processor/config");

    expect(loadConfig(env)).toMatchObject({
      tableName: "ImageMetadata-dev",
      topicArn: "arn:aws:sns:eu-west-1:123456789012:ImageProcessingNotifications-dev",
      environment: "dev",
      budget: { windowBytes: 65536, maxGets: 8, maxBytes: 2097152 },
      formats: ["jpeg", "png"],
      recordGpsCoordinates: false,
      notifyOnSuccess: false,
    });
    // Every variable the handler reads is set by the stack.
    for (const name of Object.values(ENV)) expect(Object.keys(env)).toContain(name);
  });

  it("fails at cold start naming a missing variable", () => {
    expect(() => loadHandler({ ...env, [ENV.table]: undefined })).toThrow("Environment variable METADATA_TABLE is required but not set");
  });

  it("ignores S3's test event without touching AWS", async () => {
    let isolated: ReturnType<typeof mockClient> | undefined;
    const { handler } = loadHandler(env, () => {
      isolated = mockClient(require("@aws-sdk/client-s3").S3Client);
    });

    await expect(handler({ Service: "Amazon S3", Event: "s3:TestEvent" }, context)).resolves.toEqual({
      ignored: "s3:TestEvent sent when the notification was configured",
    });
    expect(isolated!.calls()).toHaveLength(0);
    isolated!.restore();
  });

  it("fails the invocation when S3 keeps throttling, so Lambda retries and then dead-letters it", async () => {
    // The handler's S3 client is of its own module registry's SDK: mocked there.
    let isolated: ReturnType<typeof mockClient> | undefined;
    const { handler } = loadHandler(env, () => {
      const sdk: typeof import("@aws-sdk/client-s3") = require("@aws-sdk/client-s3");
      isolated = mockClient(sdk.S3Client);
      isolated.on(sdk.GetObjectCommand).rejects(slowDown());
    });

    await expect(handler(s3Event({ encodedKey: "a.jpg" }), context)).rejects.toMatchObject({
      name: "RecordsFailedError",
      message: expect.stringContaining("s3://image-storage-bucket-dev-123456789012/a.jpg"),
    });
    // The first GET is the only S3 request before the decision (no HeadObject).
    expect(isolated!.calls().map((call) => call.args[0].constructor.name)).toEqual(["GetObjectCommand"]);
    isolated!.restore();
  });
});
