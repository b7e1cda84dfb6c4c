// Every bring-your-own prop given as a reference to a resource in the same stack, and as a
// TerraformVariable: what the pipeline makes is decided at synth by whether the prop is given, so no
// count or for_each waits on the value (Terraform cannot count on a value known only after apply),
// and a bucket the pipeline is given never comes with the resources of a bucket it owns.
import { TerraformVariable, Testing, TerraformStack, Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../../constructs/image-processing-pipeline";
import { BRING_YOUR_OWN, type TeamResources, teamResourcesMade, teamResourcesAsVariables, everyInput } from "../helpers/bring-your-own";
import { policyDocumentOf } from "../helpers/synth";

const KINDS: Record<string, (stack: TerraformStack) => TeamResources> = {
  "a reference to a resource in the same stack": teamResourcesMade,
  "a TerraformVariable": teamResourcesAsVariables,
};

/** A team's own stack and provider, its own resources, and the pipeline given `props` of it; synthesized. */
function synthWith(kind: (stack: TerraformStack) => TeamResources, props: (e: TeamResources) => object) {
  const stack = new TerraformStack(Testing.app(), "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const team = kind(stack);
  const pipeline = new ImageProcessingPipeline(stack, "Images", { environment: "dev", dataProtection: false, ...props(team) });
  const json = Testing.synth(stack);
  return { team, pipeline, json, tf: JSON.parse(json) };
}

/** The pipeline's resources (not the team's own), each with its construct path, read from cdktf's logical id (`Images_Store_Bucket_<hash>`). */
const pipelineResources = (tf: any): { type: string; name: string; path: string; block: any }[] =>
  Object.entries(tf.resource as Record<string, Record<string, any>>).flatMap(([type, byName]) =>
    Object.entries(byName)
      .map(([name, block]) => ({
        type,
        name,
        path: `team/${name
          .replace(/_[0-9A-F]{8}$/, "")
          .split("_")
          .join("/")}`,
        block,
      }))
      .filter((r) => r.path.startsWith("team/Images/")),
  );

/** What Terraform must know to count: a count, or a for_each's keys (an object's, or the whole expression). */
const decidedBy = (value: unknown): string =>
  typeof value === "object" && value !== null ? `keys ${JSON.stringify(Object.keys(value))}` : JSON.stringify(value);

/** Every count, for_each and dynamic block's for_each of the pipeline's resources, as `<path> <argument> = <what decides it>`. */
const planTimeDecisions = (tf: any): string[] =>
  pipelineResources(tf).flatMap(({ path, block }) => [
    ...["count", "for_each"].filter((a) => block[a] !== undefined).map((a) => `${path} ${a} = ${decidedBy(block[a])}`),
    ...Object.entries(block.dynamic ?? {}).map(([name, d]: [string, any]) => `${path} dynamic.${name} = ${decidedBy(d.for_each)}`),
  ]);

/** The statements of the role policies whose name starts with `name`. */
const statementsOf = (tf: any, name: string): any[] =>
  pipelineResources(tf)
    .filter((r) => r.type === "aws_iam_role_policy" && String(r.block.name).startsWith(name))
    .flatMap((r) => policyDocumentOf(r.block.policy).statement);

describe.each(Object.entries(KINDS))("Each bring-your-own prop given as %s", (_kind, kind) => {
  describe.each(Object.entries(BRING_YOUR_OWN))("%s", (_input, props) => {
    const { team, tf } = synthWith(kind, props);

    it("synthesizes with no count at all, and no for_each that reads a value given", () => {
      const decisions = planTimeDecisions(tf);

      expect(pipelineResources(tf).length).toBeGreaterThan(20);
      expect(decisions.filter((d) => / count = /.test(d))).toEqual([]);
      expect(decisions.filter((d) => team.mentioned.test(d))).toEqual([]);
    });

    it("reads nothing of what may be null: no one(), compact() or coalesce() of a given value", () => {
      expect(JSON.stringify(pipelineResources(tf).map((r) => r.block))).not.toMatch(/\b(one|compact|coalesce)\(/);
    });
  });
});

describe.each(Object.entries(KINDS))("Given as %s", (_kind, kind) => {
  it("existingBucket: no bucket, bucket policy, lifecycle, access logging or notification of the pipeline's; the rule and policies name the given bucket", () => {
    // Arrange, Act
    const { team, pipeline, tf } = synthWith(kind, BRING_YOUR_OWN["existingBucket by name, without a key"]);
    const owned = pipelineResources(tf).filter((r) => r.type.startsWith("aws_s3_") || r.path.includes("/Store/"));

    // Assert
    expect(pipeline.store).toBeUndefined();
    expect(owned.map((r) => r.path)).toEqual([]);
    expect(pipeline.imageBucket.name).toBe(team.bucketName);
    const rule = pipelineResources(tf).find((r) => r.type === "aws_cloudwatch_event_rule")!.block;
    expect(rule.event_pattern).toMatch(team.mentioned);
    // Without a key, nothing to decrypt: no grant at all.
    expect(statementsOf(tf, "ImageProcessor").map((s) => s.sid)).not.toContain("DecryptImages");
  });

  it("existingKmsKeyArn: no key and no alias of the pipeline's; the table, topic, queues and log group use the key given", () => {
    const { team, pipeline, tf } = synthWith(kind, BRING_YOUR_OWN.existingKmsKeyArn);
    const of = (type: string) =>
      pipelineResources(tf)
        .filter((r) => r.type === type)
        .map((r) => r.block);

    expect(pipeline.key).toBeUndefined();
    expect(of("aws_kms_key")).toEqual([]);
    expect(of("aws_kms_alias")).toEqual([]);
    expect(of("aws_dynamodb_table")[0].server_side_encryption.kms_key_arn).toMatch(team.mentioned);
    expect(of("aws_sns_topic")[0].kms_master_key_id).toMatch(team.mentioned);
    expect(of("aws_cloudwatch_log_group")[0].kms_key_id).toMatch(team.mentioned);
    for (const queue of of("aws_sqs_queue")) expect(queue.kms_master_key_id).toMatch(team.mentioned);
  });

  it("bucketKmsKeyArn: the owned bucket is SSE-KMS with it, and the processor's own policy grants decrypting with it", () => {
    const { team, tf } = synthWith(kind, BRING_YOUR_OWN.bucketKmsKeyArn);
    const encryption = pipelineResources(tf).find((r) => r.path === "team/Images/Store/Encryption")!.block;
    const decrypt = statementsOf(tf, "ImageProcessor").filter((s) => s.sid === "DecryptImages");

    expect(encryption.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: expect.stringMatching(team.mentioned),
    });
    expect(encryption.rule[0].bucket_key_enabled).toBe(true);
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0].resources).toEqual([expect.stringMatching(team.mentioned)]);
  });

  it("existingBucket with its key: both functions may decrypt with that key, in their own policies", () => {
    const { team, tf } = synthWith(kind, BRING_YOUR_OWN["every one at once, with derivatives"]);

    expect(statementsOf(tf, "ImageProcessor").find((s) => s.sid === "DecryptImages")?.resources).toEqual([
      expect.stringMatching(team.mentioned),
    ]);
    expect(statementsOf(tf, "ImageDerivatives").find((s) => s.sid === "UseBucketKeyThroughS3")?.resources).toEqual([
      expect.stringMatching(team.mentioned),
    ]);
    expect(pipelineResources(tf).filter((r) => r.path.includes("DecryptImagesPolicy") || r.path.includes("BucketKeyPolicy"))).toEqual([]);
  });

  it.each([
    [
      "the pipeline's own key",
      (e: TeamResources) => ({ ...BRING_YOUR_OWN["existingBucket with its key"](e), derivatives: everyInput(e).derivatives }),
    ],
    ["existingKmsKeyArn", everyInput],
  ])(
    "existingBucket with its owner's key, and derivatives, with %s: the derivatives bucket is under the pipeline's key, never the owner's",
    (_, props) => {
      const { tf } = synthWith(kind, props);
      const block = (path: string) => pipelineResources(tf).find((r) => r.path === path)!.block;
      const sseOfRenditions = block("team/Images/Derivatives/Store/Encryption").rule[0];
      // The pipeline's key, as the table has it; the owner's, as the processor decrypts images with it.
      const pipelineKey = pipelineResources(tf).find((r) => r.type === "aws_dynamodb_table")!.block.server_side_encryption.kms_key_arn;
      const ownersKey = statementsOf(tf, "ImageProcessor").find((s) => s.sid === "DecryptImages")!.resources[0];
      const derivatives = statementsOf(tf, "ImageDerivatives");

      expect(ownersKey).not.toBe(pipelineKey);
      expect(sseOfRenditions).toEqual({
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: pipelineKey },
        bucket_key_enabled: true,
      });
      // The function still reads the images under the owner's key, and writes the renditions under the pipeline's.
      expect(derivatives.find((s) => s.sid === "UseBucketKeyThroughS3")?.resources).toEqual([ownersKey]);
      expect(derivatives.find((s) => s.sid === "EncryptRenditionsThroughS3")?.resources).toEqual([pipelineKey]);
    },
  );

  it("subscriptions: one subscription per entry, keyed by its name or index, its endpoint the value given", () => {
    const { team, tf } = synthWith(kind, BRING_YOUR_OWN["an sqs subscription"]);
    const named = synthWith(kind, (e) => ({ subscriptions: [{ protocol: "sqs", endpoint: e.queueArn, name: "notices" }] }));
    const subscribers = (t: any) => pipelineResources(t).find((r) => r.path === "team/Images/Notifications/Subscriptions")!.block;

    expect(Object.keys(subscribers(tf).for_each)).toEqual(["0"]);
    expect(subscribers(tf).for_each["0"]).toEqual({ protocol: "sqs", endpoint: expect.stringMatching(team.mentioned) });
    expect(Object.keys(subscribers(named.tf).for_each)).toEqual(["notices"]);
  });

  it("alarmActions, rolePolicyArns, rolePermissionsBoundaryArn, vpc: each used as given", () => {
    const { team, tf } = synthWith(kind, BRING_YOUR_OWN["alarmActions, rolePolicyArns, rolePermissionsBoundaryArn and vpc"]);
    const of = (type: string) => pipelineResources(tf).filter((r) => r.type === type);
    const attachments = of("aws_iam_role_policy_attachment").map((r) => r.block);
    const fn = of("aws_lambda_function")[0].block;

    for (const alarm of of("aws_cloudwatch_metric_alarm")) expect(JSON.stringify(alarm.block.alarm_actions)).toMatch(team.mentioned);
    expect(attachments).toHaveLength(1);
    expect(attachments[0].policy_arn).toBe("${each.value}");
    // Keyed by index: by the ARN's value only when synth knows it.
    expect(Object.keys(attachments[0].for_each)).toEqual(["0"]);
    expect(attachments[0].for_each["0"]).toMatch(team.mentioned);
    for (const role of of("aws_iam_role")) expect(role.block.permissions_boundary).toMatch(team.mentioned);
    expect(JSON.stringify(fn.vpc_config)).toMatch(team.mentioned);
    expect(of("aws_iam_role_policy").filter((r) => r.path.endsWith("/VpcPolicy"))).toHaveLength(1);
  });
});

describe("Keys synth knows", () => {
  it("keeps a literal endpoint and literal policy ARNs as their keys, so adding one leaves the others in place", () => {
    const queue = "arn:aws:sqs:eu-west-1:111122223333:image-notices";
    const policy = "arn:aws:iam::111122223333:policy/org-baseline";
    const { tf } = synthWith(teamResourcesMade, () => ({
      subscriptions: [{ protocol: "sqs", endpoint: queue }],
      rolePolicyArns: [policy],
    }));
    const block = (path: string) => pipelineResources(tf).find((r) => r.path === path)!.block;

    expect(Object.keys(block("team/Images/Notifications/Subscriptions").for_each)).toEqual([queue]);
    expect(block("team/Images/Processor/PolicyAttachments").for_each).toBe(`\${toset(["${policy}"])}`);
  });

  it("refuses two subscriptions with one key, naming subscriptions[].name", () => {
    expect(() =>
      synthWith(teamResourcesMade, (e) => ({
        subscriptions: [
          { protocol: "sqs", endpoint: e.queueArn, name: "notices" },
          { protocol: "email", endpoint: "ops@example.com", name: "notices" },
        ],
      })),
    ).toThrow(/subscriptions\[\]\.name must be .*one per subscription/);
  });

  it("refuses eventDelivery and batchOperations given as TerraformVariables, naming each: they decide which resources exist", () => {
    const variable = (stack: TerraformStack, id: string) => new TerraformVariable(stack, id, { type: "string" }).stringValue;

    const stack = new TerraformStack(Testing.app(), "team");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    const props = {
      environment: "dev",
      eventDelivery: variable(stack, "delivery") as "eventbridge",
      batchOperations: Token.asAny(new TerraformVariable(stack, "batch", { type: "bool" }).booleanValue) as unknown as boolean,
    };

    expect(() => new ImageProcessingPipeline(stack, "Images", props)).toThrow(
      /eventDelivery must be a literal: it decides which resources exist[\s\S]*batchOperations must be a literal/,
    );
  });

  it("checks what goes with an existingBucket given by reference as with a literal: EventBridge delivery, and no setting of its owner's", () => {
    expect(() => synthWith(teamResourcesMade, (e) => ({ existingBucket: { name: e.bucketName } }))).toThrow(
      /existingBucket needs eventDelivery "eventbridge"/,
    );
    expect(() =>
      synthWith(teamResourcesAsVariables, (e) => ({
        eventDelivery: "eventbridge",
        existingBucket: { name: e.bucketName },
        bucketKmsKeyArn: e.key,
      })),
    ).toThrow(/bucketKmsKeyArn cannot be set with existingBucket[\s\S]*give the bucket's key as existingBucket\.kmsKeyArn/);
  });
});
