// The derivatives role and the processor's added grant, by IAM simulation (@cloud-copilot/iam-simulate)
// of the synthesized policies, rendered with a concrete account, region and environment.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { type Call, WORLD, evaluateCall, renderPolicy, violations } from "../helpers/iam";
import { onlyResource, resourceExactlyNamed, synthStack } from "../helpers/synth";

const { account, region, keyId } = WORLD;
const stack = synthStack({ environment: "dev", region, derivatives: EXAMPLE_RENDITIONS });
const images = `arn:aws:s3:::image-storage-bucket-dev-${account}`;
const derivatives = `arn:aws:s3:::image-derivatives-dev-${account}`;
const names = {
  image: `${images}/uploads/cat photo.jpg`,
  thumbnail: `${derivatives}/thumbnail/uploads/cat photo.jpg.webp`,
  large: `${derivatives}/large/uploads/cat photo.jpg.webp`,
  table: `arn:aws:dynamodb:${region}:${account}:table/ImageMetadata-dev`,
  queue: `arn:aws:sqs:${region}:${account}:ImageDerivatives-dev`,
  deadLetters: `arn:aws:sqs:${region}:${account}:ImageDerivatives-DLQ-dev`,
  logStream: `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/ImageDerivatives-dev:log-stream:2026/11/28/[$LATEST]abc`,
  key: `arn:aws:kms:${region}:${account}:key/${keyId}`,
};
const key = { arn: names.key, policy: renderPolicy(stack, onlyResource(stack, "aws_kms_key").policy) };
const via = (service: string) => ({ "kms:ViaService": `${service}.${region}.amazonaws.com` });
const policyOf = (name: string) => renderPolicy(stack, resourceExactlyNamed(stack, "aws_iam_role_policy", "name", name)[1].policy);

describe("the derivatives role, by IAM simulation", () => {
  const role = `arn:aws:iam::${account}:role/ImageDerivatives-dev`;
  const NEEDED: Call[] = [
    { action: "s3:GetObject", resource: names.image },
    { action: "s3:GetObjectVersion", resource: names.image },
    { action: "s3:ListBucket", resource: images },
    { action: "s3:PutObject", resource: names.thumbnail },
    { action: "s3:PutObject", resource: names.large },
    { action: "s3:DeleteObject", resource: names.thumbnail }, // a deleted image's renditions
    { action: "s3:DeleteObject", resource: names.large },
    { action: "dynamodb:GetItem", resource: names.table },
    { action: "dynamodb:UpdateItem", resource: names.table },
    { action: "sqs:ReceiveMessage", resource: names.queue },
    { action: "sqs:DeleteMessage", resource: names.queue },
    { action: "sqs:ChangeMessageVisibility", resource: names.queue },
    { action: "sqs:GetQueueAttributes", resource: names.queue },
    { action: "logs:CreateLogStream", resource: names.logStream },
    { action: "logs:PutLogEvents", resource: names.logStream },
    { action: "xray:PutTraceSegments", resource: "*" },
    { action: "kms:Decrypt", resource: names.key, context: via("sqs") },
    { action: "kms:Decrypt", resource: names.key, context: via("dynamodb") },
  ];
  const FORBIDDEN: Call[] = [
    { action: "s3:PutObject", resource: names.image }, // never the image bucket: an upload there would trigger the processor
    { action: "s3:PutObject", resource: `${images}/thumbnail/uploads/cat photo.jpg.webp` },
    { action: "s3:PutObject", resource: `${derivatives}/other/uploads/cat photo.jpg.webp` }, // only the renditions' prefixes
    { action: "s3:PutObject", resource: `${derivatives}/thumbnail.webp` },
    { action: "s3:DeleteObjectVersion", resource: names.thumbnail },
    { action: "s3:DeleteObject", resource: `${derivatives}/other/uploads/cat photo.jpg.webp` },
    { action: "s3:DeleteObject", resource: names.image },
    { action: "s3:GetObject", resource: names.thumbnail },
    { action: "s3:PutBucketNotification", resource: derivatives },
    { action: "s3:PutBucketPolicy", resource: derivatives },
    { action: "s3:GetObject", resource: "arn:aws:s3:::someone-elses-bucket/secret.jpg" },
    { action: "dynamodb:PutItem", resource: names.table },
    { action: "dynamodb:DeleteItem", resource: names.table },
    { action: "dynamodb:Scan", resource: names.table },
    { action: "sqs:SendMessage", resource: names.queue },
    { action: "sqs:ReceiveMessage", resource: names.deadLetters },
    { action: "sns:Publish", resource: `arn:aws:sns:${region}:${account}:ImageProcessingNotifications-dev` },
    { action: "kms:Decrypt", resource: names.key }, // directly, not through one of its services
    { action: "kms:Decrypt", resource: names.key, context: via("s3") },
    { action: "lambda:InvokeFunction", resource: `arn:aws:lambda:${region}:${account}:function:ImageProcessor-dev` },
    { action: "iam:PassRole", resource: `arn:aws:iam::${account}:role/Admin` },
  ];
  const evaluate = (policy: object) => (call: Call) => evaluateCall(role, policy, call, key);

  it("allows every call the function makes and nothing on the forbidden list", async () => {
    expect(await violations(evaluate(policyOf("ImageDerivativesPolicy-dev")), NEEDED, FORBIDDEN, "derivatives function")).toEqual([]);
  });

  it("is caught when writes reach beyond the renditions' prefixes", async () => {
    const widened = policyOf("ImageDerivativesPolicy-dev");
    widened.Statement.find((s) => s.Sid === "WriteRenditions").Resource = [`${derivatives}/*`];
    expect(await violations(evaluate(widened), NEEDED, FORBIDDEN, "derivatives function")).toEqual([
      `s3:PutObject on ${derivatives}/other/uploads/cat photo.jpg.webp is Allowed`,
      `s3:PutObject on ${derivatives}/thumbnail.webp is Allowed`,
      `s3:DeleteObject on ${derivatives}/other/uploads/cat photo.jpg.webp is Allowed`,
    ]);
  });

  it("is caught when it may delete versions of renditions, or can no longer delete a deleted image's", async () => {
    const widened = policyOf("ImageDerivativesPolicy-dev");
    widened.Statement.find((s) => s.Sid === "WriteRenditions").Action.push("s3:DeleteObjectVersion");
    const narrowed = policyOf("ImageDerivativesPolicy-dev");
    const write = narrowed.Statement.find((s) => s.Sid === "WriteRenditions");
    write.Action = write.Action.filter((a: string) => a !== "s3:DeleteObject");

    expect(await violations(evaluate(widened), NEEDED, FORBIDDEN, "derivatives function")).toEqual([
      `s3:DeleteObjectVersion on ${names.thumbnail} is Allowed`,
    ]);
    expect(await violations(evaluate(narrowed), NEEDED, FORBIDDEN, "derivatives function")).toEqual([
      `s3:DeleteObject on ${names.thumbnail} is ImplicitlyDenied but the derivatives function needs it`,
      `s3:DeleteObject on ${names.large} is ImplicitlyDenied but the derivatives function needs it`,
    ]);
  });

  it("grants exactly what the adapters' SDK commands and Lambda's queue polling need", () => {
    const COMMAND_ACTIONS: Record<string, string[]> = {
      GetObjectCommand: ["s3:GetObject", "s3:GetObjectVersion"],
      HeadObjectCommand: ["s3:GetObject"], // the current version of a key
      PutObjectCommand: ["s3:PutObject"],
      DeleteObjectCommand: ["s3:DeleteObject"], // a deleted image's renditions
      GetCommand: ["dynamodb:GetItem"],
      UpdateCommand: ["dynamodb:UpdateItem"],
    };
    const RUNTIME_ACTIONS = [
      "s3:ListBucket", // 404, not 403, for a deleted version
      "sqs:ReceiveMessage", // the event source mapping polls with the function's role
      "sqs:DeleteMessage",
      "sqs:ChangeMessageVisibility",
      "sqs:GetQueueAttributes",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ];
    const adapters = join(__dirname, "..", "..", "functions", "image-derivatives", "adapters");
    const sent = readdirSync(adapters).flatMap((file) =>
      [...readFileSync(join(adapters, file), "utf8").matchAll(/new (\w+Command)\(/g)].map((m) => m[1]),
    );
    const granted = new Set(policyOf("ImageDerivativesPolicy-dev").Statement.flatMap((s) => s.Action));
    expect(sent.filter((command) => !(command in COMMAND_ACTIONS))).toEqual([]);
    expect([...granted].sort()).toEqual([...new Set([...sent.flatMap((c) => COMMAND_ACTIONS[c]), ...RUNTIME_ACTIONS])].sort());
  });
});

describe("the processor role with derivatives, by IAM simulation", () => {
  const role = `arn:aws:iam::${account}:role/ImageProcessor-dev`;
  // Both inline policies of the role: its own, and the one the derivatives part adds.
  const both = () => {
    const own = policyOf("ImageProcessorPolicy-dev");
    return { ...own, Statement: [...own.Statement, ...policyOf("ImageProcessorPolicy-dev-derivatives").Statement] };
  };
  const evaluate = (call: Call) => evaluateCall(role, both(), call, key);

  it("may send requests to the derivatives queue and use the key for it, and touch nothing else of the derivatives part", async () => {
    const needed: Call[] = [
      { action: "sqs:SendMessage", resource: names.queue },
      { action: "kms:GenerateDataKey", resource: names.key, context: via("sqs") },
    ];
    const forbidden: Call[] = [
      { action: "sqs:ReceiveMessage", resource: names.queue },
      { action: "sqs:SendMessage", resource: names.deadLetters },
      { action: "s3:PutObject", resource: names.thumbnail },
      { action: "s3:GetObject", resource: names.thumbnail },
    ];
    expect(await violations(evaluate, needed, forbidden, "processor")).toEqual([]);
  });
});
