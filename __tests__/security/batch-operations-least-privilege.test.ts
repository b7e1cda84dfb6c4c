// The role S3 Batch Operations assumes for backfill jobs, by IAM simulation (@cloud-copilot/iam-simulate)
// of the synthesized policies: its trust, and its grants (invoke the processor, read manifests, write reports).
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { type Call, WORLD, evaluateCall, renderPolicy, violations } from "../helpers/iam";
import { onlyResource, resourceExactlyNamed, synthStack } from "../helpers/synth";

const { account, region, keyId } = WORLD;
const stack = synthStack({ environment: "dev", region, batchOperations: true });
const jobs = `arn:aws:s3:::image-batch-jobs-dev-${account}`;
const images = `arn:aws:s3:::image-storage-bucket-dev-${account}`;
const processor = `arn:aws:lambda:${region}:${account}:function:ImageProcessor-dev`;
const role = `arn:aws:iam::${account}:role/ImageProcessor-BatchOperations-dev`;
const key = {
  arn: `arn:aws:kms:${region}:${account}:key/${keyId}`,
  policy: renderPolicy(stack, onlyResource(stack, "aws_kms_key").policy),
};
const grant = () =>
  renderPolicy(stack, resourceExactlyNamed(stack, "aws_iam_role_policy", "name", "ImageProcessorPolicy-batch-operations-dev")[1].policy);

const NEEDED: Call[] = [
  { action: "lambda:InvokeFunction", resource: processor },
  { action: "s3:GetObject", resource: `${jobs}/manifests/backfill-2026-12-02.csv` },
  { action: "s3:GetObjectVersion", resource: `${jobs}/manifests/backfill-2026-12-02.csv` },
  { action: "s3:GetObject", resource: `${jobs}/inventory/image-storage-bucket-dev/all/2026-12-01T01-00Z/manifest.json` },
  { action: "s3:PutObject", resource: `${jobs}/reports/job-f3cc4f60/results/abc.csv` },
  { action: "s3:GetBucketLocation", resource: jobs },
];
const FORBIDDEN: Call[] = [
  { action: "lambda:InvokeFunction", resource: `arn:aws:lambda:${region}:${account}:function:ImageDerivatives-dev` },
  { action: "lambda:InvokeFunction", resource: `arn:aws:lambda:${region}:${account}:function:Payroll` },
  { action: "lambda:UpdateFunctionCode", resource: processor },
  { action: "s3:GetObject", resource: `${images}/uploads/cat.jpg` }, // the images are the processor's to read
  { action: "s3:PutObject", resource: `${images}/uploads/cat.jpg` },
  { action: "s3:PutObject", resource: `${jobs}/manifests/forged.csv` }, // reports only: no rewriting a manifest
  { action: "s3:GetObject", resource: `${jobs}/reports/job-f3cc4f60/results/abc.csv` },
  { action: "s3:DeleteObject", resource: `${jobs}/reports/job-f3cc4f60/results/abc.csv` },
  { action: "iam:PassRole", resource: role },
];
const evaluate = (policy: object) => (call: Call) => evaluateCall(role, policy, call, key);

describe("the Batch Operations role, by IAM simulation", () => {
  it("allows what a backfill job does and nothing else", async () => {
    expect(await violations(evaluate(grant()), NEEDED, FORBIDDEN, "batch job")).toEqual([]);
  });

  it("is caught when the invoke grant is widened to every function", async () => {
    const widened = grant();
    widened.Statement.find((s) => s.Sid === "InvokeTheProcessor").Resource = ["*"];

    expect(await violations(evaluate(widened), NEEDED, FORBIDDEN, "batch job")).toEqual([
      `lambda:InvokeFunction on arn:aws:lambda:${region}:${account}:function:ImageDerivatives-dev is Allowed`,
      `lambda:InvokeFunction on arn:aws:lambda:${region}:${account}:function:Payroll is Allowed`,
    ]);
  });

  it("may be assumed by S3 Batch Operations alone, by AWS's documented trust policy (what runs a job with it is bounded by iam:PassRole)", async () => {
    const rendered = renderPolicy(
      stack,
      resourceExactlyNamed(stack, "aws_iam_role", "name", "ImageProcessor-BatchOperations-dev")[1].assume_role_policy,
    );
    // A trust policy names no resource; the renderer writes the absent field as undefined.
    const trust = { ...rendered, Statement: rendered.Statement.map(({ Resource, ...statement }) => statement) };
    const assume = async (principal: string, context: Record<string, string>) => {
      const result = await runSimulation(
        {
          request: {
            principal,
            action: "sts:AssumeRole",
            resource: { resource: role, accountId: account },
            contextVariables: context,
          },
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: trust,
        },
        {},
      );
      if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
      return result.overallResult;
    };

    // No AWS page says Batch Operations sends aws:SourceAccount: the trust must not depend on it.
    expect(await assume("batchoperations.s3.amazonaws.com", {})).toBe("Allowed");
    expect(await assume("batchoperations.s3.amazonaws.com", { "aws:SourceAccount": account })).toBe("Allowed");
    expect(await assume("lambda.amazonaws.com", {})).toBe("ImplicitlyDenied");
    expect(await assume("s3.amazonaws.com", { "aws:SourceAccount": account })).toBe("ImplicitlyDenied");
  });

  it("decrypts SSE-KMS inventory manifests with inventoryKmsKeyArn alone, through S3 alone, and with no key without it", async () => {
    const inventoryKey = `arn:aws:kms:${region}:${account}:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
    const keyed = synthStack({ environment: "dev", region, batchOperations: true, inventoryKmsKeyArn: inventoryKey });
    const keyedGrant = renderPolicy(
      keyed,
      resourceExactlyNamed(keyed, "aws_iam_role_policy", "name", "ImageProcessorPolicy-batch-operations-dev")[1].policy,
    );
    const throughS3 = { "kms:ViaService": `s3.${region}.amazonaws.com` };
    const readManifest: Call = { action: "kms:Decrypt", resource: inventoryKey, context: throughS3 };
    const forbidden: Call[] = [
      ...FORBIDDEN,
      { action: "kms:Decrypt", resource: inventoryKey }, // straight to KMS, not through S3
      { action: "kms:Decrypt", resource: inventoryKey, context: { "kms:ViaService": `sqs.${region}.amazonaws.com` } },
      { action: "kms:GenerateDataKey", resource: inventoryKey, context: throughS3 }, // nothing is written under it
      { action: "kms:Decrypt", resource: `arn:aws:kms:${region}:${account}:key/11111111-2222-3333-4444-555555555555`, context: throughS3 },
    ];

    expect(await violations(evaluate(keyedGrant), [...NEEDED, readManifest], forbidden, "batch job")).toEqual([]);
    // Without it, the role has no key to read SSE-KMS manifests with.
    expect(await evaluate(grant())(readManifest)).toBe("ImplicitlyDenied");
  });

  it("is not made unless asked for", () => {
    const plain = synthStack({ environment: "dev", region });

    expect(JSON.stringify(plain.tf.resource)).not.toContain("batchoperations.s3.amazonaws.com");
    expect(Object.keys(plain.tf.resource.aws_s3_bucket)).toEqual(["images"]);
  });
});
