import { Testing } from "cdktf";
import { ProcessorFunction } from "../../../constructs/parts/processor-function";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { unzipSync } from "fflate";
import { deterministicZip } from "../../../constructs/support/code-archive";
import { defaultProcessorCodeDir } from "../../../constructs/support/code-dir";
import { ENV } from "../../../functions/image-processor/environment";
import { addressOf, arnFromName, onlyResource, policyDocumentOf, ref, regionRef, statement, synthStack } from "../../helpers/synth";

describe("ProcessorFunction", () => {
  const stack = synthStack();
  const fn = onlyResource(stack, "aws_lambda_function");
  const policy = policyDocumentOf(onlyResource(stack, "aws_iam_role_policy").policy);
  const account = ref(stack, "aws_caller_identity", "account_id", "data");
  // Built from the names, which the plan knows on create (the resources' `arn` only after apply).
  const tableArn = arnFromName(stack, "dynamodb", `table/${ref(stack, "aws_dynamodb_table", "name")}`);
  const topicArn = arnFromName(stack, "sns", ref(stack, "aws_sns_topic", "name"));
  const queueArn = arnFromName(stack, "sqs", ref(stack, "aws_sqs_queue", "name"));

  it("runs on nodejs22.x, arm64, with active tracing and the configured memory and timeout", () => {
    const sized = synthStack({ memorySize: 1024, timeoutSeconds: 120, reservedConcurrency: 10 });

    expect(sized.json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "ImageProcessor-dev",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memory_size: 1024,
      timeout: 120,
      reserved_concurrent_executions: 10,
      tracing_config: { mode: "Active" },
    });
    expect(fn.memory_size).toBe(256);
    expect(fn.timeout).toBe(30);
  });

  it("tells the handler where the table and topic are and which environment it serves", () => {
    expect(fn.environment.variables).toMatchObject({
      [ENV.table]: ref(stack, "aws_dynamodb_table", "name"),
      [ENV.topicArn]: topicArn,
      [ENV.environment]: "dev",
      [ENV.readWindowBytes]: "65536",
      [ENV.notifyOnSuccess]: "false",
    });
  });

  const BUNDLE_FILES = [
    "index.js",
    "index.js.map",
    ...["@aws-lambda-powertools/tracer/index.js", "exifr/dist/mini.umd.cjs", "image-size/index.js"].map((file) => `node_modules/${file}`),
  ];

  it("deploys the bundle zipped at synth, inside the configuration, with the zip's hash as a literal", () => {
    const zip = deterministicZip(defaultProcessorCodeDir());
    const entries = unzipSync(zip);

    expect(fn.filename).toMatch(/^\$\{path\.module\}\/assets\/[\w]+\/[0-9A-F]+\/image-processor\.zip$/);
    expect(fn.source_code_hash).toBe(createHash("sha256").update(zip).digest("base64"));
    // The bundle, and beside it what the bundle loads only when first needed (scripts/build.mjs: DEFERRED_MODULES).
    expect(Object.keys(entries).sort()).toEqual(BUNDLE_FILES);
    expect(Buffer.from(entries["index.js"]).equals(readFileSync(join(defaultProcessorCodeDir(), "index.js")))).toBe(true);
  });

  it("makes the same zip bytes whatever the files' times and modes (a plan from one job applies in another)", () => {
    const copy = mkdtempSync(join(tmpdir(), "code-"));
    for (const name of BUNDLE_FILES) {
      mkdirSync(dirname(join(copy, name)), { recursive: true });
      writeFileSync(join(copy, name), readFileSync(join(defaultProcessorCodeDir(), name)));
      chmodSync(join(copy, name), 0o600);
      utimesSync(join(copy, name), new Date("2001-02-03"), new Date("2001-02-03"));
    }

    // Compressed anew: with no cache between processes, the copy's zip is not the original's read back.
    const cache = mkdtempSync(join(tmpdir(), "zip-cache-"));
    const saved = process.env.IMAGE_PIPELINE_ZIP_CACHE;
    process.env.IMAGE_PIPELINE_ZIP_CACHE = cache;
    const zipped = (() => {
      try {
        return deterministicZip(copy);
      } finally {
        if (saved === undefined) delete process.env.IMAGE_PIPELINE_ZIP_CACHE;
        else process.env.IMAGE_PIPELINE_ZIP_CACHE = saved;
      }
    })();

    expect(readdirSync(cache)).toHaveLength(1);
    expect(Buffer.from(zipped).equals(Buffer.from(deterministicZip(defaultProcessorCodeDir())))).toBe(true);
    rmSync(copy, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it("writes to its own encrypted log group with retention, created before the function", () => {
    expect(stack.json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/lambda/ImageProcessor-dev",
      retention_in_days: 30,
      kms_key_id: ref(stack, "aws_kms_key", "arn"),
    });
    expect(fn.logging_config.log_group).toBe(ref(stack, "aws_cloudwatch_log_group", "name"));
    expect(fn.depends_on).toEqual(
      expect.arrayContaining([addressOf(stack, "aws_cloudwatch_log_group"), addressOf(stack, "aws_iam_role_policy")]),
    );
  });

  describe("role", () => {
    it("can be assumed by Lambda alone, by AWS's documented trust policy (no condition Lambda might not meet)", () => {
      const role = onlyResource(stack, "aws_iam_role");
      const trust = policyDocumentOf(role.assume_role_policy);

      expect(trust.statement).toEqual([
        expect.objectContaining({
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
        }),
      ]);
      expect(trust.statement[0].condition).toBeUndefined();
    });

    it("has no managed policies (AWSLambdaBasicExecutionRole allows logs on *)", () => {
      expect(stack.tf.resource.aws_iam_role_policy_attachment).toBeUndefined();
      expect(onlyResource(stack, "aws_iam_role").managed_policy_arns).toBeUndefined();
    });

    it("takes a permissions boundary when given", () => {
      const boundary = "arn:aws:iam::123456789012:policy/Boundary";

      expect(onlyResource(synthStack({ rolePermissionsBoundaryArn: boundary }), "aws_iam_role").permissions_boundary).toBe(boundary);
    });
  });

  describe("least-privilege policy", () => {
    const bucketArn = arnFromName(stack, "s3", ref(stack, "aws_s3_bucket", "bucket"));

    it("grants exactly the actions the processor uses, each on its own resource, named by ARNs the plan knows on create", () => {
      const grants = Object.fromEntries(policy.statement.map((s) => [s.sid, { actions: s.actions, resources: s.resources }]));

      expect(grants).toEqual({
        ReadImageVersions: { actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [`${bucketArn}/*`] },
        TellMissingImagesFromDenied: { actions: ["s3:ListBucket"], resources: [bucketArn] },
        FindDeletedImageVersions: { actions: ["s3:ListBucketVersions"], resources: [bucketArn] },
        RecordMetadata: { actions: ["dynamodb:PutItem", "dynamodb:UpdateItem"], resources: [tableArn] },
        PublishNotifications: { actions: ["sns:Publish"], resources: [topicArn] },
        SendFailedEventsToDeadLetterQueue: { actions: ["sqs:SendMessage"], resources: [queueArn] },
        WriteOwnLogs: {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [arnFromName(stack, "logs", `log-group:${ref(stack, "aws_cloudwatch_log_group", "name")}:*`)],
        },
        WriteTraces: { actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
        UsePipelineKeyThroughItsServices: {
          actions: ["kms:Decrypt", "kms:GenerateDataKey"],
          resources: [ref(stack, "aws_kms_key", "arn")],
        },
      });
    });

    it("never lets the function write to or delete from the image bucket (recursion, data loss)", () => {
      const actions = policy.statement.flatMap((s) => s.actions);

      expect(actions.filter((a: string) => /^s3:(Put|Delete)/.test(a) || a.includes("*"))).toEqual([]);
      expect(policy.statement.every((s) => s.effect === "Allow")).toBe(true);
    });

    it("uses the pipeline key only through DynamoDB, SNS and SQS", () => {
      expect(statement(policy, "UsePipelineKeyThroughItsServices").condition).toEqual([
        {
          test: "StringEquals",
          variable: "kms:ViaService",
          values: ["dynamodb", "sns", "sqs"].map((s) => `${s}.${regionRef(stack)}.amazonaws.com`),
        },
      ]);
    });

    it("may decrypt images with the bucket's own key when one is configured", () => {
      const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/0e1f2a3b-aaaa-bbbb-cccc-0123456789ab";
      const withKey = synthStack({ bucketKmsKeyArn: keyArn });
      const document = policyDocumentOf(onlyResource(withKey, "aws_iam_role_policy").policy);

      expect(statement(document, "DecryptImages")).toMatchObject({ actions: ["kms:Decrypt"], resources: [keyArn] });
    });
  });

  it("can be invoked by this bucket in this account only", () => {
    expect(onlyResource(stack, "aws_lambda_permission")).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "s3.amazonaws.com",
      function_name: ref(stack, "aws_lambda_function", "function_name"),
      source_arn: arnFromName(stack, "s3", ref(stack, "aws_s3_bucket", "bucket")),
      source_account: account,
    });
  });

  it("keeps the bucket's leave to invoke it until the notification no longer names the function (a switch to EventBridge delivery loses no upload)", () => {
    // Removed or replaced, a create_before_destroy resource goes only after what depends on it (the bucket notification) is updated.
    expect(onlyResource(stack, "aws_lambda_permission").lifecycle).toEqual({ create_before_destroy: true });
  });

  it("retries failed events twice, then sends them to the dead-letter queue", () => {
    const asyncConfig = onlyResource(stack, "aws_lambda_function_event_invoke_config");

    expect(asyncConfig).toMatchObject({
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
      destination_config: { on_failure: { destination: queueArn } },
    });
    expect(asyncConfig.depends_on).toEqual([addressOf(stack, "aws_iam_role_policy")]);
  });
});

describe("ProcessorFunction on its own (Testing.synthScope)", () => {
  const targets = {
    environment: "qa",
    bucketArn: "arn:aws:s3:::photos",
    tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/Images",
    tableName: "Images",
    topicArn: "arn:aws:sns:eu-west-1:123456789012:news",
    deadLetterQueueArn: "arn:aws:sqs:eu-west-1:123456789012:failed",
  };

  it("needs a name and what it works on; defaults its settings and its role's name", () => {
    const json = Testing.synthScope((scope) => new ProcessorFunction(scope, "Processor", { functionName: "photo-checker", ...targets }));
    const tf = JSON.parse(json);

    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "photo-checker",
      runtime: "nodejs22.x",
      memory_size: 256,
      timeout: 30,
      environment: { variables: expect.objectContaining({ METADATA_TABLE: "Images", ENVIRONMENT: "qa", IMAGE_FORMATS: "jpeg,png" }) },
    });
    expect((Object.values(tf.resource.aws_iam_role)[0] as any).name).toBe("photo-checker");
    expect((Object.values(tf.resource.aws_iam_role_policy)[0] as any).name).toBe("photo-checker-policy");
  });

  it("refuses settings out of range, naming each field", () => {
    expect(() =>
      Testing.synthScope(
        (scope) => new ProcessorFunction(scope, "Processor", { functionName: "f", ...targets, memorySize: 64, logRetentionDays: 2 }),
      ),
    ).toThrow(/memorySize must be an integer from 128 to 10240; got 64[\s\S]*logRetentionDays must be one of/);
  });
});
