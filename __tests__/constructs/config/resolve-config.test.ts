import { Testing, TerraformStack } from "cdktf";
import { DEFAULTS, type ImageProcessingPipelineProps, PipelineConfigError, resolveConfig } from "../../../constructs";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";

const valid: ImageProcessingPipelineProps = { environment: "dev" };

/** The message resolveConfig throws for props, or fails the test if it does not throw. */
function problemWith(props: Partial<ImageProcessingPipelineProps>): string {
  try {
    resolveConfig({ ...valid, ...props });
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(props)} to be refused`);
}

describe("resolveConfig", () => {
  it("applies every default from DEFAULTS", () => {
    const config = resolveConfig(valid);

    expect(config).toMatchObject({
      memorySize: DEFAULTS.memorySize,
      timeoutSeconds: DEFAULTS.timeoutSeconds,
      logRetentionDays: DEFAULTS.logRetentionDays,
      noncurrentVersionExpirationDays: DEFAULTS.noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays: DEFAULTS.abortIncompleteMultipartUploadDays,
      maxRetryAttempts: DEFAULTS.maxRetryAttempts,
      maxEventAgeSeconds: DEFAULTS.maxEventAgeSeconds,
      readWindowBytes: DEFAULTS.readWindowBytes,
      alarmThresholds: DEFAULTS.alarmThresholds,
      dataProtection: true,
      forceDestroy: false,
      deletionProtection: true,
      accessLogging: true,
      emailEveryNotice: false,
      allowUnsubscribedNotifications: false,
    });
  });

  it("turns data protection off only when asked, and never in prod", () => {
    expect(resolveConfig({ environment: "dev", dataProtection: false })).toMatchObject({
      forceDestroy: true,
      deletionProtection: false,
      accessLogging: false,
    });
    expect(resolveConfig({ environment: "staging" })).toMatchObject({ forceDestroy: false, deletionProtection: true, accessLogging: true });
    expect(resolveConfig({ environment: "production" })).toMatchObject({ forceDestroy: false, deletionProtection: true });
    expect(() => resolveConfig({ environment: "prod", dataProtection: false })).toThrow(
      'dataProtection must be true for the "prod" environment; a disposable environment needs another name',
    );
  });

  it("protects data in prod: no force_destroy, deletion protection on", () => {
    const config = resolveConfig({ environment: "prod" });

    expect(config.forceDestroy).toBe(false);
    expect(config.deletionProtection).toBe(true);
  });

  it.each(["dev", "staging", "prod", "a", "team-42", "x".repeat(29)])("accepts the environment %p", (environment) => {
    expect(resolveConfig({ environment }).environment).toBe(environment);
  });

  it.each(["", "Dev", "1dev", "dev-", "dev_1", "dev.1", "x".repeat(30), "dév"])(
    "refuses the environment %p, naming the field and the allowed values",
    (environment) => {
      const message = problemWith({ environment });

      expect(message).toContain("environment must be 1 to 29 lowercase letters, digits or hyphens");
      expect(message).toContain(JSON.stringify(environment));
    },
  );

  it.each(["not-an-email", "a@b", "@example.com", "ops@example.c", "ops example@example.com"])(
    "refuses the notification email %p",
    (notificationEmail) => {
      expect(problemWith({ notificationEmail })).toContain("notificationEmail must be an email address");
    },
  );

  it("accepts a well-formed email", () => {
    expect(resolveConfig({ ...valid, notificationEmail: "ops.team+images@example.co.uk" }).notificationEmail).toBe(
      "ops.team+images@example.co.uk",
    );
  });

  it.each([
    ["memorySize", 127, "memorySize must be an integer from 128 to 10240"],
    ["memorySize", 10241, "memorySize must be an integer from 128 to 10240"],
    ["memorySize", 256.5, "memorySize must be an integer from 128 to 10240"],
    ["timeoutSeconds", 0, "timeoutSeconds must be an integer from 1 to 900"],
    ["timeoutSeconds", 901, "timeoutSeconds must be an integer from 1 to 900"],
    ["maxRetryAttempts", 3, "maxRetryAttempts must be an integer from 0 to 2"],
    ["maxEventAgeSeconds", 59, "maxEventAgeSeconds must be an integer from 60 to 21600"],
    ["noncurrentVersionExpirationDays", 0, "noncurrentVersionExpirationDays must be an integer from 1 to 3650"],
    ["reservedConcurrency", -1, "reservedConcurrency must be an integer from 0 to 1000"],
    ["readWindowBytes", 100, "readWindowBytes must be an integer from 1024 to 1048576"],
    ["deadLetterRetentionDays", 15, "deadLetterRetentionDays must be an integer from 1 to 14"],
  ] as const)("refuses %s = %p", (field, value, expected) => {
    expect(problemWith({ [field]: value })).toContain(`${expected}; got ${value}`);
  });

  it("refuses a log retention CloudWatch does not offer, listing the allowed values", () => {
    const message = problemWith({ logRetentionDays: 31 });

    expect(message).toContain("logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90");
    expect(message).toContain("got 31");
  });

  it.each(["xn--images", "sthree-images", "sthree-configurator", "amzn-s3-demo-images"])(
    "refuses the name prefix %p, which S3 reserves at the start of bucket names",
    (namePrefix) => {
      const message = problemWith({ namePrefix });

      expect(message).toContain("namePrefix must be");
      expect(message).toContain("not starting with xn--, sthree- or amzn-s3-demo-");
      expect(message).toContain(JSON.stringify(namePrefix));
    },
  );

  it.each(["xn", "sthree", "amzn-s3", "images-xn--a"])("accepts the name prefix %p, which only resembles a reserved one", (namePrefix) => {
    expect(resolveConfig({ ...valid, namePrefix }).namePrefix).toBe(namePrefix);
  });

  it.each([
    ["a key over 128 characters", { ["k".repeat(129)]: "v" }],
    ["a value over 256 characters", { Team: "v".repeat(257) }],
    ["an empty key", { "": "v" }],
    ["a key reserved for AWS", { "AWS:CreatedBy": "me" }],
    ["a character AWS refuses", { "cost#center": "42" }],
    ["more than 49 tags", Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`Tag${i}`, "v"]))],
  ])("refuses tags with %s, naming AWS's limits", (_, tags) => {
    const message = problemWith({ tags });

    expect(message).toContain("tags must be at most 49 tags, keys of 1 to 128");
  });

  it("accepts tags at AWS's limits, in any script, with every allowed symbol", () => {
    const tags = {
      ["k".repeat(128)]: "v".repeat(256),
      "Équipe média": "Café Noir",
      "cost:center/a_b.c=d+e-f@g": "",
      ...Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`Tag${i}`, "v"])),
    };

    expect(Object.keys(tags)).toHaveLength(49);
    expect(resolveConfig({ ...valid, tags }).tags).toEqual(tags);
  });

  it("refuses a reservation below the event queue's maximum concurrency with EventBridge delivery, and takes it with notifications", () => {
    const eventBridge = { eventDelivery: "eventbridge" as const, eventQueue: { maximumConcurrency: 10 } };

    const message = problemWith({ ...eventBridge, reservedConcurrency: 5 });

    expect(message).toContain("reservedConcurrency must be at least eventQueue.maximumConcurrency (10) with EventBridge delivery");
    expect(resolveConfig({ ...valid, ...eventBridge, reservedConcurrency: 10 }).reservedConcurrency).toBe(10);
    expect(resolveConfig({ ...valid, reservedConcurrency: 5 }).reservedConcurrency).toBe(5);
  });

  it("refuses force_destroy in prod", () => {
    expect(problemWith({ environment: "prod", forceDestroy: true })).toContain("forceDestroy must be false");
  });

  it("refuses a malformed KMS key or boundary ARN", () => {
    expect(problemWith({ bucketKmsKeyArn: "alias/my-key" })).toContain("bucketKmsKeyArn must be a KMS key ARN");
    expect(problemWith({ rolePermissionsBoundaryArn: "Boundary" })).toContain("rolePermissionsBoundaryArn must be an IAM policy ARN");
  });

  it("refuses a duration alarm share outside (0, 1)", () => {
    expect(problemWith({ alarmThresholds: { durationShareOfTimeout: 1 } })).toContain(
      "alarmThresholds.durationShareOfTimeout must be a number greater than 0 and less than 1",
    );
  });

  it("reports every bad field at once", () => {
    const message = problemWith({ environment: "Prod", memorySize: 1, timeoutSeconds: 1000 });

    expect(message.split("\n  - ")).toHaveLength(4);
  });

  it("fails synth of the pipeline with the same message", () => {
    const stack = new TerraformStack(Testing.app(), "test");

    expect(() => new ImageProcessingPipeline(stack, "Pipeline", { environment: "dev", memorySize: 64 })).toThrow(
      /memorySize must be an integer from 128 to 10240; got 64/,
    );
  });
});

describe("read budget, formats and GPS props", () => {
  it("defaults to 8 GETs and 2 MiB per image, JPEG and PNG, and no coordinates", () => {
    expect(resolveConfig({ environment: "dev" })).toMatchObject({
      maxReadGets: 8,
      maxReadBytes: 2097152,
      formats: ["jpeg", "png"],
      recordGpsCoordinates: false,
    });
  });

  it.each([
    [{ maxReadGets: 0 }, "maxReadGets must be an integer from 1 to 100; got 0"],
    [{ maxReadBytes: 32768 }, "maxReadBytes must be at least readWindowBytes (65536); got 32768"],
    [{ formats: [] }, "formats must be a non-empty list without repeats of jpeg, png, webp, gif, avif, heic, tiff; got []"],
    [
      { formats: ["png", "png"] },
      'formats must be a non-empty list without repeats of jpeg, png, webp, gif, avif, heic, tiff; got ["png","png"]',
    ],
  ] as [Partial<ImageProcessingPipelineProps>, string][])("refuses %p, naming the field and what is allowed", (props, message) => {
    expect(() => resolveConfig({ environment: "dev", ...props })).toThrow(message);
  });
});
