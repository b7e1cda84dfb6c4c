// Least privilege, shown by an IAM policy evaluation engine (@cloud-copilot/iam-simulate) run
// against the synthesized policies, rendered with a concrete account, region and environment.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { type Call, WORLD, evaluateCall, renderPolicy, violations as findViolations } from "../helpers/iam";
import { onlyResource, synthStack } from "../helpers/synth";

const { account, region, keyId } = WORLD;
const stack = synthStack({ environment: "dev", region });
const role = `arn:aws:iam::${account}:role/ImageProcessor-dev`;
const bucket = `image-storage-bucket-dev-${account}`;
const names = {
  object: `arn:aws:s3:::${bucket}/uploads/cat photo.jpg`,
  bucket: `arn:aws:s3:::${bucket}`,
  table: `arn:aws:dynamodb:${region}:${account}:table/ImageMetadata-dev`,
  topic: `arn:aws:sns:${region}:${account}:ImageProcessingNotifications-dev`,
  queue: `arn:aws:sqs:${region}:${account}:ImageProcessor-DLQ-dev`,
  logStream: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/ImageProcessor-dev:log-stream:2026/11/27/[$LATEST]abc`,
  key: `arn:aws:kms:${region}:${account}:key/${keyId}`,
};

// KMS also needs the key's own policy: the pipeline key's as synthesized.
const keyPolicy = renderPolicy(stack, onlyResource(stack, "aws_kms_key").policy);
const evaluate = (policy: object, call: Call) => evaluateCall(role, policy, call, { arn: names.key, policy: keyPolicy });

const via = (service: string) => ({ "kms:ViaService": `${service}.${region}.amazonaws.com` });

/** Every call the processor makes, and Lambda makes on its behalf. */
const NEEDED: Call[] = [
  { action: "s3:GetObject", resource: names.object },
  { action: "s3:GetObjectVersion", resource: names.object },
  { action: "s3:ListBucket", resource: names.bucket },
  { action: "s3:ListBucketVersions", resource: names.bucket }, // which version a delete marker hides
  { action: "dynamodb:PutItem", resource: names.table },
  { action: "dynamodb:UpdateItem", resource: names.table },
  { action: "sns:Publish", resource: names.topic },
  { action: "sqs:SendMessage", resource: names.queue },
  { action: "logs:CreateLogStream", resource: names.logStream },
  { action: "logs:PutLogEvents", resource: names.logStream },
  { action: "xray:PutTraceSegments", resource: "*" },
  { action: "xray:PutTelemetryRecords", resource: "*" },
  { action: "kms:GenerateDataKey", resource: names.key, context: via("sns") },
  { action: "kms:Decrypt", resource: names.key, context: via("sqs") },
  { action: "kms:Decrypt", resource: names.key, context: via("dynamodb") },
];

/** Calls that must never be allowed. */
const FORBIDDEN: Call[] = [
  { action: "s3:PutObject", resource: names.object }, // recursion: the upload would trigger the function again
  { action: "s3:DeleteObject", resource: names.object },
  { action: "s3:DeleteObjectVersion", resource: names.object },
  { action: "s3:PutBucketPolicy", resource: names.bucket },
  { action: "s3:GetObject", resource: `arn:aws:s3:::someone-elses-bucket/secret.jpg` },
  { action: "dynamodb:DeleteItem", resource: names.table },
  { action: "dynamodb:Scan", resource: names.table },
  { action: "dynamodb:GetItem", resource: names.table },
  { action: "dynamodb:PutItem", resource: `arn:aws:dynamodb:${region}:${account}:table/Payroll` },
  { action: "sns:Publish", resource: `arn:aws:sns:${region}:${account}:another-topic` },
  { action: "sns:Subscribe", resource: names.topic },
  { action: "sqs:ReceiveMessage", resource: names.queue },
  { action: "sqs:SendMessage", resource: `arn:aws:sqs:${region}:${account}:another-queue` },
  { action: "logs:PutLogEvents", resource: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/Other:log-stream:x` },
  { action: "iam:PassRole", resource: `arn:aws:iam::${account}:role/Admin` },
  { action: "iam:CreatePolicyVersion", resource: `arn:aws:iam::${account}:policy/x` },
  { action: "kms:Decrypt", resource: `arn:aws:kms:${region}:${account}:key/ffffffff-0000-0000-0000-000000000000`, context: via("sns") },
  { action: "kms:Decrypt", resource: names.key }, // directly, not through one of its services
  { action: "kms:ScheduleKeyDeletion", resource: names.key, context: via("sns") },
  { action: "lambda:InvokeFunction", resource: `arn:aws:lambda:${region}:${account}:function:ImageProcessor-dev` },
];

const violations = (policy: object) => findViolations((call) => evaluate(policy, call), NEEDED, FORBIDDEN, "processor");

const rolePolicy = () => renderPolicy(stack, onlyResource(stack, "aws_iam_role_policy").policy);

describe("the processor role, by IAM simulation", () => {
  it("allows every call the processor makes and nothing on the forbidden list", async () => {
    expect(await violations(rolePolicy())).toEqual([]);
  });

  it("is caught when a grant is widened (PutObject added to the image reads)", async () => {
    const widened = rolePolicy();
    widened.Statement.find((s) => s.Sid === "ReadImageVersions").Action.push("s3:PutObject");

    expect(await violations(widened)).toEqual([`s3:PutObject on ${names.object} is Allowed`]);
  });

  it("is caught when a grant is narrowed (Publish removed)", async () => {
    const narrowed = rolePolicy();
    narrowed.Statement = narrowed.Statement.filter((s) => s.Sid !== "PublishNotifications");

    expect(await violations(narrowed)).toEqual([`sns:Publish on ${names.topic} is ImplicitlyDenied but the processor needs it`]);
  });

  it("is caught when the key is usable outside its services", async () => {
    const loosened = rolePolicy();
    delete loosened.Statement.find((s) => s.Sid === "UsePipelineKeyThroughItsServices").Condition;

    expect(await violations(loosened)).toEqual([`kms:Decrypt on ${names.key} is Allowed`]);
  });
});

describe("the granted actions and the code's AWS calls", () => {
  // Each SDK command the adapters send, and the IAM actions it needs.
  const COMMAND_ACTIONS: Record<string, string[]> = {
    HeadObjectCommand: ["s3:GetObject", "s3:GetObjectVersion"],
    GetObjectCommand: ["s3:GetObject", "s3:GetObjectVersion"],
    PutCommand: ["dynamodb:PutItem"],
    UpdateCommand: ["dynamodb:UpdateItem"],
    PublishCommand: ["sns:Publish"],
    SendMessageCommand: ["sqs:SendMessage"], // derivatives requests, when the pipeline has derivatives
    ListObjectVersionsCommand: ["s3:ListBucketVersions"], // the version a delete marker hides
  };
  // Needed by the runtime rather than sent by the adapters.
  const RUNTIME_ACTIONS = [
    "s3:ListBucket", // so S3 answers 404, not 403, for a deleted object (adapters/s3-image-source.ts)
    "sqs:SendMessage", // Lambda's on-failure destination, with the function's role
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "kms:Decrypt", // SNS, SQS and DynamoDB use the pipeline key for the calls above
    "kms:GenerateDataKey",
  ];

  it("grants exactly what the adapters' SDK commands and the runtime need: no unused grant, none missing", () => {
    const adapters = join(__dirname, "..", "..", "functions", "image-processor", "adapters");
    const sent = readdirSync(adapters).flatMap((file) =>
      [...readFileSync(join(adapters, file), "utf8").matchAll(/new (\w+Command)\(/g)].map((m) => m[1]),
    );
    const unknown = sent.filter((command) => !(command in COMMAND_ACTIONS));
    const needed = new Set([...sent.flatMap((command) => COMMAND_ACTIONS[command] ?? []), ...RUNTIME_ACTIONS]);
    const granted = new Set(rolePolicy().Statement.flatMap((s) => s.Action));

    expect(unknown).toEqual([]); // a new command needs its IAM actions named above
    expect([...granted].sort()).toEqual([...needed].sort());
  });
});

describe("the image bucket's policy, by IAM simulation", () => {
  const bucketPolicy = renderPolicy(stack, onlyResource(stack, "aws_s3_bucket_policy").policy);
  const owner = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };

  async function request(principal: string | { type: "Anonymous" }, context: Record<string, string>, identity?: object) {
    const result = await runSimulation(
      {
        request: { principal, action: "s3:GetObject", resource: { resource: names.object, accountId: account }, contextVariables: context },
        identityPolicies: identity ? [{ name: "admin", policy: identity }] : [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: bucketPolicy,
      },
      {},
    );
    if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
  }
  const admin = `arn:aws:iam::${account}:role/Admin`;

  it("lets an allowed caller in over TLS 1.2", async () => {
    expect(await request(admin, { "aws:SecureTransport": "true", "s3:TlsVersion": "1.2" }, owner)).toBe("Allowed");
  });

  it("denies a request without TLS, even to an administrator", async () => {
    expect(await request(admin, { "aws:SecureTransport": "false" }, owner)).toBe("ExplicitlyDenied");
  });

  it.each(["1.0", "1.1"])("denies TLS %s, even to an administrator", async (version) => {
    expect(await request(admin, { "aws:SecureTransport": "true", "s3:TlsVersion": version }, owner)).toBe("ExplicitlyDenied");
  });

  it("grants nothing to the public", async () => {
    const anonymous = await request({ type: "Anonymous" }, { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" });
    const otherAccount = await request("arn:aws:iam::999988887777:root", { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" });

    expect([anonymous, otherAccount]).toEqual(["ImplicitlyDenied", "ImplicitlyDenied"]);
    expect(bucketPolicy.Statement.filter((s: any) => s.Effect === "Allow")).toEqual([]);
  });
});
