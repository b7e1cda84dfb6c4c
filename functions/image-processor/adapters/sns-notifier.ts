import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Notice } from "../core/notice";
import type { Notifier } from "../ports";

/** Publishes notices to the notifications topic, with status and environment as filterable attributes. */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(notice: Notice): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: notice.subject,
        Message: notice.message,
        MessageAttributes: {
          status: { DataType: "String", StringValue: notice.attributes.status },
          environment: { DataType: "String", StringValue: notice.attributes.environment },
        },
      }),
    );
  }
}
