import { Testing, TerraformOutput } from "cdktf";
import { EnvironmentStack } from "../../../constructs/shipping/environment-stack";
import { BASE_PROPS, onlyResource, synthStack } from "../../helpers/synth";
import { resolver } from "../../helpers/iam";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d";

describe("existingKmsKeyArn: the caller's key for everything the pipeline encrypts", () => {
  const stack = synthStack({ existingKmsKeyArn: KEY, eventDelivery: "eventbridge" });
  const resource = stack.tf.resource;

  it("makes no key and no alias", () => {
    expect(resource.aws_kms_key).toBeUndefined();
    expect(resource.aws_kms_alias).toBeUndefined();
  });

  it("encrypts the table, the topic, every queue and the log group with it", () => {
    const queues = Object.values(resource.aws_sqs_queue).map((q: any) => q.kms_master_key_id);

    expect(onlyResource(stack, "aws_dynamodb_table").server_side_encryption.kms_key_arn).toBe(KEY);
    expect(onlyResource(stack, "aws_sns_topic").kms_master_key_id).toBe(KEY);
    expect(onlyResource(stack, "aws_cloudwatch_log_group").kms_key_id).toBe(KEY);
    expect(queues.length).toBeGreaterThan(1);
    expect(new Set(queues)).toEqual(new Set([KEY]));
  });

  it("grants the processor's role the key it was given, and no other", () => {
    const policies = Object.values(resource.aws_iam_role_policy).map((p: any) => p.policy as string);
    const keys = new Set(policies.flatMap((p) => [...p.matchAll(/arn:aws:kms:[^"]+/g)].map((m) => m[0])));

    expect(keys).toEqual(new Set([KEY]));
  });

  it("tells the key's owner what its policy must admit: the statements the pipeline's own key would have", () => {
    // Arrange: the statements, as an output of the stack that was given the key
    const app = Testing.app();
    const given = new EnvironmentStack(app, "given", { ...BASE_PROPS, existingKmsKeyArn: KEY, eventDelivery: "eventbridge" });
    new TerraformOutput(given, "KeyPolicyStatements", { value: given.pipeline.keyPolicyStatementsJson });
    const json = Testing.synth(given);
    const synthesized = { json, tf: JSON.parse(json) };
    const own = synthStack({ eventDelivery: "eventbridge" });

    // Act
    const told = JSON.parse(resolver(synthesized)(synthesized.tf.output.KeyPolicyStatements.value)).Statement;
    const ownPolicy = JSON.parse(resolver(own)(onlyResource(own, "aws_kms_key").policy)).Statement;

    // Assert
    expect(told.map((s: any) => s.Sid)).toEqual([
      "AllowCloudWatchAlarmsToPublish-dev",
      "AllowCloudWatchLogsForTheLogGroups-dev",
      "AllowTheUploadsRuleToSendToEncryptedQueues-dev",
    ]);
    // The same statements, but for their Sids, which name the instance (see two-pipelines.test.ts).
    const withoutInstance = told.map((s: any) => ({ ...s, Sid: s.Sid.replace(/-dev$/, "") }));
    expect(withoutInstance).toEqual(ownPolicy.filter((s: any) => s.Sid !== "EnableIamPolicies"));
  });
});
