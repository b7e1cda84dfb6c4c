import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Standard AWS configuration only: the SDK's credential chain, region, profile, AWS_ENDPOINT_URL. */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
}

export type AwsClients = ReturnType<typeof awsClients>;

/**
 * The clients the commands use. The SDK reads AWS_REGION, AWS_PROFILE and AWS_ENDPOINT_URL
 * itself; `--region` and `--profile` override the first two. Retries are the SDK's own
 * (adaptive, which also paces a backfill that outruns Lambda's invoke quota).
 */
export function awsClients(options: AwsOptions) {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    retryMode: "adaptive",
    maxAttempts: 5,
  };
  const dynamodb = new DynamoDBClient(config);
  let cloudformation: CloudFormationClient | undefined;
  let s3control: S3ControlClient | undefined;
  return {
    s3: new S3Client(config),
    dynamodb,
    documents: DynamoDBDocumentClient.from(dynamodb),
    lambda: new LambdaClient(config),
    sqs: new SQSClient(config),
    sts: new STSClient(config),
    cloudwatch: new CloudWatchClient(config),
    /** Made, and its package loaded, on first use: only adopt-cloudformation needs it. */
    get cloudformation(): CloudFormationClient {
      const { CloudFormationClient: Client }: typeof import("@aws-sdk/client-cloudformation") = require("@aws-sdk/client-cloudformation");
      return (cloudformation ??= new Client(config));
    },
    /**
     * Made on first use: only `backfill batch` needs it. S3 Control's endpoint
     * rules put the account id before the host, which an endpoint of one's own
     * (AWS_ENDPOINT_URL_S3_CONTROL: a proxy, an emulator) may not answer to: that one is taken as it is.
     */
    get s3control(): S3ControlClient {
      const { S3ControlClient: Client }: typeof import("@aws-sdk/client-s3-control") = require("@aws-sdk/client-s3-control");
      const own = process.env.AWS_ENDPOINT_URL_S3_CONTROL ?? process.env.AWS_ENDPOINT_URL;
      return (s3control ??= new Client({ ...config, ...(own ? { endpointProvider: () => ({ url: new URL(own) }) } : {}) }));
    },
  };
}
