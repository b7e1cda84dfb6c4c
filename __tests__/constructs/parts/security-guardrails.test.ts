import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Testing, TerraformStack } from "cdktf";
import type { TerraformResource } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../../../constructs/image-processing-pipeline";

/** A pipeline in a stack, and a way to reach one of its Terraform elements by construct path. */
function pipeline(allowInsecureOverrides?: boolean) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const built = new ImageProcessingPipeline(stack, "Pipeline", { environment: "dev", dataProtection: false, allowInsecureOverrides });
  const element = (path: string) => built.node.findChild(path.split("/")[0]).node.findChild(path.split("/")[1]) as TerraformResource;
  // Synth with cdktf's validations, as `cdktf synth` runs them.
  const synth = () => Testing.synth(stack, true);
  return { stack, built, element, synth };
}

describe("SecurityGuardrails", () => {
  it("accepts the pipeline as built", () => {
    expect(() => pipeline().synth()).not.toThrow();
  });

  it.each([
    ["Store/PublicAccessBlock", "block_public_policy", false, "all four public access blocks must be true"],
    [
      "Store/Encryption",
      "rule",
      [{ apply_server_side_encryption_by_default: { sse_algorithm: "" } }],
      "default encryption must be AES256 or aws:kms",
    ],
    ["Store/Bucket", "acl", "public-read", 'acl "public-read" would make objects public'],
    ["Notifications/Topic", "kms_master_key_id", null, "the topic must be encrypted with a KMS key"],
    ["DeadLetterQueue/Queue", "kms_master_key_id", null, "the queue must be encrypted"],
    ["Table/Table", "server_side_encryption", { enabled: false }, "server-side encryption must be enabled"],
    ["Processor/AllowImageBucket", "source_account", null, "scoped by source_arn and source_account"],
  ])("refuses an override of %s.%s that weakens it, naming the resource", (path, attribute, value, problem) => {
    const { element, synth } = pipeline();
    element(path).addOverride(attribute, value);

    expect(synth).toThrow(`Insecure configuration refused: test/Pipeline/${path}`);
    expect(synth).toThrow(problem);
  });

  const openPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Public", Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["s3:GetObject"], Resource: ["*"] }],
  });

  it.each([
    ["Store/Policy", "policy"],
    ["Key/Key", "policy"],
    ["Notifications/Policy", "policy"],
    ["DeadLetterQueue/Policy", "policy"],
    ["Processor/Role", "assume_role_policy"],
    ["Processor/Policy", "policy"],
  ])("refuses a policy in %s that allows any principal without a condition", (path, attribute) => {
    const { element, synth } = pipeline();
    element(path).addOverride(attribute, openPolicy);

    expect(synth).toThrow(`Insecure configuration refused: test/Pipeline/${path}`);
    expect(synth).toThrow("statement Public allows any principal without a condition");
  });

  it("accepts the same override, with a warning, when allowInsecureOverrides is set", () => {
    const { element, synth, built } = pipeline(true);
    element("Store/PublicAccessBlock").addOverride("block_public_policy", false);

    expect(synth).not.toThrow();
    const warnings = built.node.metadata.filter((entry) => entry.type === "@cdktf/warn").map((entry) => entry.data);
    expect(warnings).toEqual([expect.stringContaining("Insecure configuration accepted: test/Pipeline/Store/PublicAccessBlock")]);
  });

  // cdktf runs every construct's validations in App.synth() (StackSynthesizer: runAllValidations)
  // unless the app is made with skipValidation; `cdktf synth` runs the app so, with
  // CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set, which lets error annotations through but not validations.
  describe("in a user's app, as `cdktf synth` runs it", () => {
    let outdir: string;
    beforeEach(() => {
      outdir = mkdtempSync(join(tmpdir(), "guardrails-app-"));
    });
    afterEach(() => {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
      rmSync(outdir, { recursive: true, force: true });
    });

    it.each([
      ["app.synth()", undefined],
      ["the app under the cdktf CLI", "true"],
    ])("refuses an insecure override in %s", (_, continueOnErrorAnnotations) => {
      if (continueOnErrorAnnotations) process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = continueOnErrorAnnotations;
      const app = new App({ outdir, stackTraces: false });
      const stack = new TerraformStack(app, "team");
      new AwsProvider(stack, "aws", { region: "eu-west-1" });
      const images = new ImageProcessingPipeline(stack, "Images", { environment: "dev", dataProtection: false });
      const publicAccess = images.node.findChild("Store").node.findChild("PublicAccessBlock") as TerraformResource;
      publicAccess.addOverride("block_public_policy", false);

      expect(() => app.synth()).toThrow(
        "Insecure configuration refused: team/Images/Store/PublicAccessBlock (aws_s3_bucket_public_access_block): all four public access blocks must be true",
      );
    });
  });
});
