import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { SnsNotifier } from "../../../../functions/image-processor/adapters/sns-notifier";

describe("SnsNotifier", () => {
  const sns = mockClient(SNSClient);
  beforeEach(() => sns.reset());

  it("publishes with status and environment as filterable attributes", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "m" });
    const notifier = new SnsNotifier(new SNSClient({ region: "eu-west-1" }), "arn:aws:sns:eu-west-1:123456789012:t");

    await notifier.publish({ subject: "Image rejected (dev)", message: "{}", attributes: { status: "rejected", environment: "dev" } });

    expect(sns.commandCalls(PublishCommand)[0].args[0].input).toEqual({
      TopicArn: "arn:aws:sns:eu-west-1:123456789012:t",
      Subject: "Image rejected (dev)",
      Message: "{}",
      MessageAttributes: {
        status: { DataType: "String", StringValue: "rejected" },
        environment: { DataType: "String", StringValue: "dev" },
      },
    });
  });

  it("lets a failure through so the event is retried", async () => {
    sns.on(PublishCommand).rejects(new Error("Internal Error"));
    const notifier = new SnsNotifier(new SNSClient({ region: "eu-west-1" }), "arn");

    await expect(notifier.publish({ subject: "s", message: "m", attributes: { status: "missing", environment: "dev" } })).rejects.toThrow();
  });
});
