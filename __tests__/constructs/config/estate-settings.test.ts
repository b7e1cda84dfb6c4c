import { synthStack } from "../../helpers/synth";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/9a8b7c6d-5e4f-3a2b-1c0d-9e8f7a6b5c4d";

describe("bring-your-own props: each refused at synth with the field and its allowed values", () => {
  it.each([
    ["alarmActions", { alarmActions: ["not-an-arn"] }, /alarmActions must be at most 5 values, each an ARN CloudWatch alarms can act on/],
    [
      "alarmActions (six)",
      { alarmActions: Array.from({ length: 6 }, (_, i) => `arn:aws:sns:eu-west-1:111122223333:t${i}`) },
      /alarmActions must be at most 5 values/,
    ],
    [
      "subscriptions (protocol)",
      { subscriptions: [{ protocol: "sms" as never, endpoint: "+3212345678" }] },
      /subscriptions must be a list of \{ protocol, endpoint \}/,
    ],
    [
      "subscriptions (endpoint of another protocol)",
      { subscriptions: [{ protocol: "https" as const, endpoint: "ops@example.com" }] },
      /https with an https:\/\/ URL/,
    ],
    [
      "subscriptions (repeated endpoint)",
      {
        subscriptions: [
          { protocol: "email" as const, endpoint: "ops@example.com" },
          { protocol: "email-json" as const, endpoint: "ops@example.com" },
        ],
      },
      /with distinct endpoints/,
    ],
    [
      "vpc.subnetIds",
      { vpc: { subnetIds: [], securityGroupIds: ["sg-0123456789abcdef0"] } },
      /vpc.subnetIds must be 1 to 16 values, each a subnet id/,
    ],
    [
      "vpc.securityGroupIds",
      { vpc: { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["default"] } },
      /vpc.securityGroupIds must be 1 to 5 values, each a security group id/,
    ],
    ["existingKmsKeyArn", { existingKmsKeyArn: "alias/mine" }, /existingKmsKeyArn must be a KMS key ARN/],
  ])("%s", (_field, props, message) => {
    // Act / Assert
    expect(() => synthStack(props)).toThrow(message);
  });

  it("accepts each of them well formed", () => {
    const stack = synthStack({
      alarmActions: ["arn:aws:sns:eu-west-1:111122223333:on-call"],
      subscriptions: [
        { protocol: "email", endpoint: "ops@example.com" },
        { protocol: "sqs", endpoint: "arn:aws:sqs:eu-west-1:111122223333:notices" },
        { protocol: "lambda", endpoint: "arn:aws:lambda:eu-west-1:111122223333:function:triage" },
        { protocol: "https", endpoint: "https://hooks.example.com/images" },
      ],
      vpc: { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] },
      existingKmsKeyArn: KEY,
    });

    expect(stack.tf.resource.aws_lambda_function).toBeDefined();
  });
});
