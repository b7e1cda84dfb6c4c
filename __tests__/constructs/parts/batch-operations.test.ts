// The Batch Operations role's grant on the key of SSE-KMS inventory manifests (inventoryKmsKeyArn): there
// only when the key is given, whatever its value (a literal, a TerraformVariable), and, in the module,
// decided inside the policy by whether inventory_kms_key_arn is null, never by a count.
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";
import { ImageProcessingModuleStack } from "../../../constructs/shipping/module-stack";
import { policyDocumentOf, regionRef, resourceExactlyNamed, synthStack } from "../../helpers/synth";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const POLICY_NAME = "ImageProcessorPolicy-batch-operations-dev";

/** The Batch Operations role's policy statements of a synthesized stack. */
const batchStatements = (stack: { tf: any; json: string }): any[] =>
  policyDocumentOf(resourceExactlyNamed(stack, "aws_iam_role_policy", "name", POLICY_NAME)[1].policy).statement;
const decrypt = (statements: any[]) => statements.filter((s) => s.sid === "DecryptInventoryManifests");

describe("BatchOperations: inventoryKmsKeyArn", () => {
  it("grants nothing on a key without it", () => {
    const stack = synthStack({ batchOperations: true });

    expect(batchStatements(stack).map((s) => s.sid)).toEqual([
      "InvokeTheProcessor",
      "ReadManifests",
      "WriteCompletionReports",
      "LocateTheJobsBucket",
    ]);
    expect(stack.json).not.toContain('kms:Decrypt","Resource":"arn:aws:kms');
  });

  it("given, lets the role decrypt with that key alone, through S3 alone", () => {
    const stack = synthStack({ batchOperations: true, inventoryKmsKeyArn: KEY });

    expect(decrypt(batchStatements(stack))).toEqual([
      {
        sid: "DecryptInventoryManifests",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: [KEY],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${regionRef(stack)}.amazonaws.com`] }],
      },
    ]);
  });

  it("given as a TerraformVariable, grants it by reference, and nothing is counted by it", () => {
    const stack = new TerraformStack(Testing.app(), "team");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const key = new TerraformVariable(stack, "inventory_key", { type: "string" });
    new ImageProcessingPipeline(stack, "Images", {
      environment: "dev",
      dataProtection: false,
      batchOperations: true,
      inventoryKmsKeyArn: key.stringValue,
    });
    const json = Testing.synth(stack);
    const synthesized = { json, tf: JSON.parse(json) };
    const counted = Object.values(synthesized.tf.resource as Record<string, Record<string, any>>).flatMap((byName) =>
      Object.values(byName).filter((r) => r.count !== undefined || r.for_each !== undefined),
    );

    expect(decrypt(batchStatements(synthesized)).map((s) => s.resources)).toEqual([["${var.inventory_key}"]]);
    expect(counted.filter((r) => JSON.stringify([r.count, r.for_each]).includes("inventory_key"))).toEqual([]);
  });

  it("is refused without batchOperations, naming the field and what it needs", () => {
    expect(() => synthStack({ inventoryKmsKeyArn: KEY })).toThrow(/inventoryKmsKeyArn has no effect without batchOperations/);
  });

  it("is refused unless a KMS key ARN, naming the field and the rule", () => {
    expect(() => synthStack({ batchOperations: true, inventoryKmsKeyArn: "alias/inventory" })).toThrow(
      /inventoryKmsKeyArn must be a KMS key ARN \(arn:aws:kms:<region>:<account>:key\/<id>\)/,
    );
  });

  it("in the module, is in the role's policy when inventory_kms_key_arn is not null: decided in the policy, never by a count", () => {
    const tf = JSON.parse(Testing.synth(new ImageProcessingModuleStack(Testing.app(), "module")));
    const policy = tf.resource.aws_iam_role_policy.batch_operations;

    expect(policy.count).toBe("${var.batch_operations ? 1 : 0}");
    expect(policy.policy).toMatch(
      /\$\{\(var\.inventory_kms_key_arn != null\) \? format\(",%s", jsonencode\(\{"Sid" = "DecryptInventoryManifests"/,
    );
    expect(policy.policy).toContain('"Resource" = var.inventory_kms_key_arn');
  });
});
