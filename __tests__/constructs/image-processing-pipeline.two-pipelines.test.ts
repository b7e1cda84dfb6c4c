import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ImageProcessingPipeline } from "../../constructs/image-processing-pipeline";

const TEAM_KEY = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d";

describe("two pipelines sharing the team's key", () => {
  // Arrange: two pipelines of one stack, one environment, told apart by their prefixes, both on the team's key.
  const stack = new TerraformStack(Testing.app(), "team");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const shared = { environment: "dev", dataProtection: false, existingKmsKeyArn: TEAM_KEY, eventDelivery: "eventbridge" } as const;
  const orders = new ImageProcessingPipeline(stack, "Orders", { ...shared, namePrefix: "orders" });
  const avatars = new ImageProcessingPipeline(stack, "Avatars", { ...shared, namePrefix: "avatars" });

  it("give key-policy statements whose Sids name their instance, so they merge into one key policy", () => {
    // Act: what the key's owner puts into its policy, both pipelines' statements together
    const statements = [orders, avatars].flatMap((pipeline) => JSON.parse(pipeline.keyPolicyStatementsJson).Statement);
    const sids = statements.map((statement: { Sid: string }) => statement.Sid);

    // Assert
    expect(sids).toEqual([
      "AllowCloudWatchAlarmsToPublish-orders-dev",
      "AllowCloudWatchLogsForTheLogGroups-orders-dev",
      "AllowTheUploadsRuleToSendToEncryptedQueues-orders-dev",
      "AllowCloudWatchAlarmsToPublish-avatars-dev",
      "AllowCloudWatchLogsForTheLogGroups-avatars-dev",
      "AllowTheUploadsRuleToSendToEncryptedQueues-avatars-dev",
    ]);
    expect(new Set(sids).size).toBe(sids.length);
  });

  it("synthesize side by side, validations included", () => {
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});
