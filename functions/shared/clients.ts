import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

/** SDK settings shared by every client: the SDK's standard retries, and timeouts so a stuck call fails and is retried. */
const CLIENT_CONFIG = {
  maxAttempts: 3,
  retryMode: "standard",
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
} as const;

export interface Clients {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  /** Only when asked for: the derivatives queue is opt-in. */
  readonly sqs?: SQSClient;
}

/** Creates the clients once per container. `overrides` lets tests point them at an emulator. */
export function createClients(overrides: Record<string, unknown> = {}, { sqs = false } = {}): Clients {
  const config = { ...CLIENT_CONFIG, ...overrides };
  return {
    s3: new S3Client(config),
    dynamodb: new DynamoDBClient(config),
    sns: new SNSClient(config),
    ...(sqs ? { sqs: new SQSClient(config) } : {}),
  };
}
