import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";
import { resourceNames } from "../../../constructs/naming/names";
import { parseTemplate, retainTemplate } from "../../../cli/core/cloudformation-template";
import { KEPT, CLOUDFORMATION_DESIGN, type StackFacts, assessStack, importBlocks } from "../../../cli/core/cloudformation-design";
import { cloudFormationDesignTemplate } from "../../fixtures";
import { synthStack } from "../../helpers/synth";

// The original CloudFormation design's own template, as the stack holds it.
const TEMPLATE = parseTemplate(cloudFormationDesignTemplate());
const SEED = join(__dirname, "..", "..", "..", "..", "shared", "seed", "serverless-image-processing.md");
const ACCOUNT = "123456789012";
const names = resourceNames("dev");

/** What the command reads of a healthy stack of the original CloudFormation design, deployed for dev. */
function facts(overrides: Partial<StackFacts> = {}): StackFacts {
  return {
    stackName: "images-dev",
    status: "CREATE_COMPLETE",
    stackAccount: ACCOUNT,
    stackRegion: "us-east-1",
    callerAccount: ACCOUNT,
    parameters: { EnvironmentSuffix: "dev", NotificationEmail: "ops@example.com" },
    template: TEMPLATE,
    physicalIds: {
      ImageStorageBucket: names.bucket(ACCOUNT),
      ImageMetadataTable: names.table,
      ProcessingNotificationTopic: `arn:aws:sns:us-east-1:${ACCOUNT}:${names.topic}`,
      LambdaLogGroup: names.logGroup,
      ImageProcessorLambda: names.function,
      MonitoringDashboard: names.dashboard,
    },
    tableKeys: [{ AttributeName: "ImageId", KeyType: "HASH" }],
    ...overrides,
  };
}

describe("assessStack", () => {
  it("accepts the original CloudFormation design's stack, keeping the data and what people subscribed to and deleting the code", () => {
    const { problems, findings } = assessStack(facts(), names, "dev");

    expect(problems).toEqual([]);
    expect(findings.filter((f) => f.fate === "kept").map((f) => f.logicalId)).toEqual(KEPT);
    expect(KEPT).toEqual([
      "ImageStorageBucket",
      "ImageStorageBucketPolicy",
      "ImageMetadataTable",
      "ProcessingNotificationTopic",
      "LambdaLogGroup",
    ]);
    expect(findings.every((f) => !f.retained)).toBe(true);
    expect(findings).toHaveLength(Object.keys(TEMPLATE.Resources!).length);
  });

  it("sees the kept resources retained once the Retain template is the stack's, and only them", () => {
    const { findings } = assessStack(facts({ template: retainTemplate(TEMPLATE, KEPT) }), names, "dev");

    expect(findings.filter((f) => f.retained).map((f) => f.logicalId)).toEqual(KEPT);
  });

  it.each<[string, Partial<StackFacts>, string]>([
    [
      "another template",
      { template: parseTemplate(JSON.stringify({ Resources: { Queue: { Type: "AWS::SQS::Queue" } } })) },
      "resource Queue (AWS::SQS::Queue) is not part of the original CloudFormation design",
    ],
    [
      "another template",
      { template: parseTemplate(JSON.stringify({ Resources: { Queue: { Type: "AWS::SQS::Queue" } } })) },
      "the stack has no ImageMetadataTable (AWS::DynamoDB::Table)",
    ],
    [
      "a resource added to the original CloudFormation design",
      { template: { ...TEMPLATE, Resources: { ...TEMPLATE.Resources, Archive: { Type: "AWS::S3::Bucket" } } } },
      "resource Archive (AWS::S3::Bucket) is not part of the original CloudFormation design: deleting the stack would delete it",
    ],
    [
      "a renamed table",
      { physicalIds: { ...facts().physicalIds, ImageMetadataTable: "Images-dev" } },
      "ImageMetadataTable is Images-dev; the pipeline's dev names it ImageMetadata-dev",
    ],
    [
      "a bucket of another account",
      { physicalIds: { ...facts().physicalIds, ImageStorageBucket: "image-storage-bucket-dev-999999999999" } },
      "ImageStorageBucket is image-storage-bucket-dev-999999999999; the pipeline's dev names it image-storage-bucket-dev-123456789012",
    ],
    [
      "a stack of another account",
      { stackAccount: "999999999999" },
      "stack images-dev is in account 999999999999, and these credentials are of account 123456789012",
    ],
    [
      "another environment's stack",
      { parameters: { EnvironmentSuffix: "staging" } },
      `the stack's EnvironmentSuffix is "staging", not --env dev`,
    ],
    ["a stack mid-update", { status: "UPDATE_IN_PROGRESS" }, "stack images-dev is UPDATE_IN_PROGRESS: wait until it is stable"],
    [
      "a table with a sort key",
      {
        tableKeys: [
          { AttributeName: "ImageId", KeyType: "HASH" },
          { AttributeName: "UploadTimestamp", KeyType: "RANGE" },
        ],
      },
      "not by ImageId alone: Terraform would replace it",
    ],
  ])("refuses %s, naming it", (_, overrides, expected) => {
    const { problems } = assessStack(facts(overrides), names, "dev");

    expect(problems.join("\n")).toContain(expected);
  });

  it("refuses the right stack for a prefixed pipeline: the names differ", () => {
    const { problems } = assessStack(facts(), resourceNames("dev", "media-"), "dev");

    expect(problems).toContain(
      "ImageMetadataTable is ImageMetadata-dev; the pipeline's dev names it media-ImageMetadata-dev: Terraform would make a new one beside it, not adopt it",
    );
  });
});

describe("retainTemplate", () => {
  it("adds both Retain policies to the kept resources and changes nothing else", () => {
    const retained = retainTemplate(TEMPLATE, KEPT);

    for (const id of Object.keys(TEMPLATE.Resources!)) {
      const { DeletionPolicy, UpdateReplacePolicy, ...rest } = retained.Resources![id];
      expect(rest).toEqual(TEMPLATE.Resources![id]);
      expect([DeletionPolicy, UpdateReplacePolicy]).toEqual(KEPT.includes(id) ? ["Retain", "Retain"] : [undefined, undefined]);
    }
    expect({ ...retained, Resources: undefined }).toEqual({ ...TEMPLATE, Resources: undefined });
  });
});

describe("importBlocks", () => {
  const findings = assessStack(facts(), names, "dev").findings;
  const blocks = (text: string) => [...text.matchAll(/to = (\S+)\n {2}id = "([^"]+)"/g)].map(([, to, id]) => ({ to, id }));
  const addresses = (tf: any) =>
    new Set(
      Object.entries(tf.resource as Record<string, object>).flatMap(([type, rs]) => Object.keys(rs).map((name) => `${type}.${name}`)),
    );

  it("points every import at a resource of the synthesized stack, of the type the original CloudFormation design's resource becomes", () => {
    const synthesized = addresses(synthStack().tf);

    const imports = blocks(importBlocks(findings, { kind: "stack" }));

    expect(imports).toHaveLength(KEPT.flatMap((id) => CLOUDFORMATION_DESIGN[id].takeovers ?? []).length);
    for (const { to } of imports) expect(synthesized).toContain(to);
    expect(imports.find((i) => i.to.startsWith("aws_dynamodb_table."))?.id).toBe(names.table);
    expect(imports.find((i) => i.to.startsWith("aws_sns_topic."))?.id).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:${names.topic}`);
    expect(imports.filter((i) => i.to.startsWith("aws_s3_bucket")).map((i) => i.id)).toEqual(Array(6).fill(names.bucket(ACCOUNT)));
  });

  it("points the module's imports at the module's own resources, under module.<name>", () => {
    const app = Testing.app();
    const module = JSON.parse(Testing.synth(new ImageProcessingModuleStack(app, "module")));

    const imports = blocks(importBlocks(findings, { kind: "module", name: "images" }));

    for (const { to } of imports) expect(addresses(module)).toContain(to.replace(/^module\.images\./, ""));
    expect(imports.every((i) => i.to.startsWith("module.images."))).toBe(true);
  });

  it("leaves a bucket setting the bucket lacks to Terraform to create, saying so", () => {
    const text = importBlocks(findings, { kind: "stack" }, new Set(["lifecycle", "policy"] as const));

    expect(blocks(text).some((i) => /aws_s3_bucket_(lifecycle_configuration|policy)\./.test(i.to))).toBe(false);
    expect(text).toContain("the bucket has no lifecycle setting, so Terraform creates aws_s3_bucket_lifecycle_configuration.");
  });
});

describe("the original CloudFormation design's template", () => {
  // Skipped, and shown as skipped, on a clone without the seed beside it (CI): there is nothing to compare with.
  (existsSync(SEED) ? it : it.skip)("is the seed's, byte for byte", () => {
    const seed = /```yaml\n([\s\S]*?)```/.exec(readFileSync(SEED, "utf8"))![1];

    expect(cloudFormationDesignTemplate()).toBe(seed);
  });
});
