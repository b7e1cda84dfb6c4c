import { Testing } from "cdktf";
import { EncryptionKey } from "../../../constructs/parts/encryption-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { onlyResource, policyDocumentOf, ref, statement, synthStack } from "../../helpers/synth";

describe("EncryptionKey", () => {
  const stack = synthStack();
  const key = onlyResource(stack, "aws_kms_key");
  const policy = policyDocumentOf(key.policy);
  const account = ref(stack, "aws_caller_identity", "account_id", "data");

  it("rotates yearly and has an alias named after the environment", () => {
    expect(key.enable_key_rotation).toBe(true);
    expect(stack.json).toHaveResourceWithProperties(KmsAlias, { name: "alias/image-processing-dev" });
  });

  it("lets CloudWatch use it as AWS documents for an encrypted topic: no condition CloudWatch might not meet (the topic admits the alarms)", () => {
    const cloudwatch = statement(policy, "AllowCloudWatchAlarmsToPublish");

    expect(cloudwatch.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(cloudwatch.actions).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(cloudwatch.condition).toBeUndefined();
  });

  it("lets CloudWatch Logs use it only for the processor's log group when there are no derivatives", () => {
    const logs = statement(policy, "AllowCloudWatchLogsForTheLogGroups");

    expect(logs.condition).toEqual([
      {
        test: "ArnEquals",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: [expect.stringMatching(/:logs:.*:log-group:\/aws\/lambda\/ImageProcessor-dev$/)],
      },
    ]);
  });

  it("lets CloudWatch Logs use it for the derivatives function's log group too when there are derivatives", () => {
    const withDerivatives = synthStack({ derivatives: [{ name: "thumbnail", width: 320 }] });
    const logs = statement(policyDocumentOf(onlyResource(withDerivatives, "aws_kms_key").policy), "AllowCloudWatchLogsForTheLogGroups");

    expect(logs.condition[0].values).toEqual([
      expect.stringMatching(/:log-group:\/aws\/lambda\/ImageProcessor-dev$/),
      expect.stringMatching(/:log-group:\/aws\/lambda\/ImageDerivatives-dev$/),
    ]);
  });

  it("grants nothing else to any other principal", () => {
    expect(policy.statement.map((s) => s.sid).sort()).toEqual([
      "AllowCloudWatchAlarmsToPublish",
      "AllowCloudWatchLogsForTheLogGroups",
      "EnableIamPolicies",
    ]);
    expect(statement(policy, "EnableIamPolicies").principals).toEqual([
      { type: "AWS", identifiers: [`arn:${ref(stack, "aws_partition", "partition", "data")}:iam::${account}:root`] },
    ]);
  });
});

describe("EncryptionKey on its own (Testing.synthScope)", () => {
  it("needs only an alias; grants CloudWatch and CloudWatch Logs nothing unless given alarms and a log group", () => {
    const json = Testing.synthScope((scope) => new EncryptionKey(scope, "Key", { aliasName: "alias/photos" }));
    const tf = JSON.parse(json);
    const document = policyDocumentOf((Object.values(tf.resource.aws_kms_key)[0] as any).policy);

    expect(json).toHaveResourceWithProperties(KmsAlias, { name: "alias/photos" });
    expect(document.statement.map((s: any) => s.sid)).toEqual(["EnableIamPolicies"]);
  });
});
