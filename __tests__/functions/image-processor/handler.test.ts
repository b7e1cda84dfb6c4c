import { HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { Context } from "aws-lambda";
import { ENV } from "../../../functions/image-processor/environment";
import { onlyResource, synthStack } from "../../helpers/synth";
import { s3Event } from "../../fixtures";

/**
 * The function's environment as the stack synthesizes it, with each Terraform reference
 * replaced by the value Terraform would give it (names come from the referenced resource).
 */
function synthesizedEnvironment(): Record<string, string> {
  const stack = synthStack({ environment: "dev", region: "eu-west-1" });
  const variables: Record<string, string> = onlyResource(stack, "aws_lambda_function").environment.variables;
  const resolve = (value: string) =>
    value.replace(/\$\{(\w+)\.(\w+)\.(\w+)\}/g, (_, type: string, name: string, attribute: string) => {
      const resource = stack.tf.resource[type]?.[name];
      if (!resource) throw new Error(`unresolvable reference ${value}`);
      if (attribute === "name") return resource.name;
      if (type === "aws_sns_topic" && attribute === "arn") return `arn:aws:sns:eu-west-1:123456789012:${resource.name}`;
      throw new Error(`no stand-in for ${type}.${attribute}`);
    });
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolve(value)]));
}

const context = { functionName: "ImageProcessor-dev", awsRequestId: "req-1" } as Context;

/** Loads the handler module afresh (its cold start reads the environment). */
function loadHandler(env: Record<string, string | undefined>) {
  const saved = { ...process.env };
  Object.assign(process.env, env, { AWS_REGION: "eu-west-1", POWERTOOLS_DEV: "true", POWERTOOLS_LOG_LEVEL: "SILENT" });
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  try {
    let module: typeof import("../../../functions/image-processor/handler") | undefined;
    jest.isolateModules(() => {
      module = require("../../../functions/image-processor/handler");
    });
    return module!;
  } finally {
    process.env = saved;
  }
}

describe("handler", () => {
  const env = synthesizedEnvironment();
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());

  it("starts from exactly the environment the stack gives the function", () => {
    const { loadConfig } = jest.requireActual("../../../functions/image-processor/config");

    expect(loadConfig(env)).toMatchObject({
      tableName: "ImageMetadata-dev",
      topicArn: "arn:aws:sns:eu-west-1:123456789012:ImageProcessingNotifications-dev",
      environment: "dev",
      readWindowBytes: 65536,
      notifyOnSuccess: false,
    });
    // Every variable the handler reads is set by the stack.
    for (const name of Object.values(ENV)) expect(Object.keys(env)).toContain(name);
  });

  it("fails at cold start naming a missing variable", () => {
    expect(() => loadHandler({ ...env, [ENV.table]: undefined })).toThrow("Environment variable METADATA_TABLE is required but not set");
  });

  it("ignores S3's test event without touching AWS", async () => {
    const { handler } = loadHandler(env);

    await expect(handler({ Service: "Amazon S3", Event: "s3:TestEvent" }, context)).resolves.toEqual({
      ignored: "s3:TestEvent sent when the notification was configured",
    });
    expect(s3.calls()).toHaveLength(0);
  });

  it("fails the invocation when S3 keeps throttling, so Lambda retries and then dead-letters it", async () => {
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: "SlowDown", $fault: "server", $metadata: { httpStatusCode: 503 } }),
    );
    const { handler } = loadHandler(env);

    await expect(handler(s3Event({ encodedKey: "a.jpg" }), context)).rejects.toMatchObject({
      name: "RecordsFailedError",
      message: expect.stringContaining("s3://image-storage-bucket-dev-123456789012/a.jpg"),
    });
  });
});
