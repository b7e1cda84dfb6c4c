import { type SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { type DerivativeRequest, requestBody } from "../../shared/derivative-request";
import type { DerivativesQueue } from "../ports";

/** Sends derivatives requests to the pipeline's encrypted queue. */
export class SqsDerivativesQueue implements DerivativesQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async request(request: DerivativeRequest): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: requestBody(request) }));
  }
}
