import { loadConfig } from "../../../functions/image-processor/config";
import { ConfigError } from "../../../functions/shared/config-values";

const env = { METADATA_TABLE: "ImageMetadata-dev", SNS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:t", ENVIRONMENT: "dev" };

describe("loadConfig", () => {
  it("reads the stack's variables, with defaults for the optional ones", () => {
    expect(loadConfig(env)).toEqual({
      tableName: "ImageMetadata-dev",
      topicArn: "arn:aws:sns:eu-west-1:123456789012:t",
      environment: "dev",
      budget: { windowBytes: 65536, maxGets: 8, maxBytes: 2097152 },
      formats: ["jpeg", "png"],
      recordGpsCoordinates: false,
      maxImagePixels: 16383 * 16383,
      notifyOnSuccess: false,
      concurrency: 4,
    });
  });

  it.each(["METADATA_TABLE", "SNS_TOPIC_ARN", "ENVIRONMENT"])("fails naming %s when it is missing", (name) => {
    expect(() => loadConfig({ ...env, [name]: undefined })).toThrow(
      new ConfigError(`Environment variable ${name} is required but not set`),
    );
  });

  it("fails naming a variable that is not a positive integer", () => {
    expect(() => loadConfig({ ...env, READ_WINDOW_BYTES: "64k" })).toThrow(
      'Environment variable READ_WINDOW_BYTES must be a positive integer; got "64k"',
    );
  });

  it("fails naming a flag that is not true or false", () => {
    expect(() => loadConfig({ ...env, NOTIFY_ON_SUCCESS: "yes" })).toThrow('NOTIFY_ON_SUCCESS must be "true" or "false"');
  });
});
