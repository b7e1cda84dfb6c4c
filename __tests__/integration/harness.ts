import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateTableCommand, DynamoDBClient, KeyType, type ScalarAttributeType } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { resolveReferences } from "../helpers/terraform-refs";
import { DERIVATIVES_NAMES, EVENT_QUEUE_NAMES } from "../../constructs/naming/addresses";
import { FaultProxy } from "./fault-proxy";

/** moto's default account. */
export const ACCOUNT = "123456789012";
const BUNDLE = join(__dirname, "..", "..", "build", "image-processor", "index.js");

type Tf = { resource: Record<string, Record<string, any>>; data: Record<string, Record<string, any>>; provider: any };

/** The opt-in derivatives part's resources (constructs/parts/derivatives.ts); derivatives-harness.ts provisions them. */
export const isDerivativesAddress = (name: string) => DERIVATIVES_NAMES.has(name);

/** EventBridge delivery's resources (constructs/parts/event-queue.ts); event-queue-harness.ts provisions them. */
export const isEventQueueAddress = (name: string) => EVENT_QUEUE_NAMES.has(name);

/** The one resource of a type in the pipeline's core (the derivatives part and EventBridge delivery aside). */
const only = (tf: Tf, type: string) => {
  const all = Object.entries(tf.resource[type] ?? {})
    .filter(([name]) => !isDerivativesAddress(name) && !isEventQueueAddress(name))
    .map(([, block]) => block);
  if (all.length !== 1) throw new Error(`expected one ${type} in the stack, found ${all.length}`);
  return all[0] as any;
};

/** Everything a scenario needs: the emulator provisioned from the stack, clients, and the handler. */
export interface Harness {
  readonly tf: Tf;
  /** Resolves the stack's references as Terraform would against the emulator. */
  readonly resolve: (value: string) => string;
  readonly region: string;
  readonly bucket: string;
  readonly table: string;
  readonly timeIndex: string;
  readonly topicArn: string;
  readonly deadLetterQueueUrl: string;
  /** An SQS queue subscribed to the topic: what subscribers would receive. */
  readonly observerQueueUrl: string;
  readonly maxRetryAttempts: number;
  readonly s3: S3Client;
  readonly documents: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly proxy: FaultProxy;
  /** The handler's environment: the synthesized function's variables, resolved. */
  readonly functionEnvironment: Record<string, string>;
  /** The environment of a process that runs the bundle against the emulator (directly, not through the proxy). */
  readonly processEnvironment: Record<string, string | undefined>;
  /**
   * Starts the deployed artifact (the esbuild bundle) in its own Node process, with the
   * function's environment, talking to the emulator through the proxy. The returned
   * function invokes it and, like Lambda, rejects when the handler throws.
   */
  startFunction(): Promise<Invoke>;
  /** Something to stop when the harness closes (another function's process). */
  onClose(stop: () => void): void;
  close(): Promise<void>;
}

const endpoint = () => {
  const value = process.env.MOTO_ENDPOINT;
  if (!value) throw new Error("MOTO_ENDPOINT is not set: run the suite with `npm run test:integration`");
  return value;
};

/** Reads the dev stack as synthesized by `npm run synth` (into SYNTH_DIR). */
export function synthesizedStack(name = "image-processing-dev"): Tf {
  const dir = process.env.SYNTH_DIR ?? join(__dirname, "..", "..", "cdktf.out");
  return JSON.parse(readFileSync(join(dir, "stacks", name, "cdk.tf.json"), "utf8"));
}

/**
 * Resets the emulator and creates the stack's bucket, table, topic and dead-letter queue
 * from the synthesized resources (names, versioning, encryption, key schema, index), so a
 * mismatch between the stack and the handler fails the scenarios.
 */
export async function provisionFromStack(tf: Tf = synthesizedStack()): Promise<Harness> {
  const moto = endpoint();
  await fetch(`${moto}/moto-api/reset`, { method: "POST" });
  const region: string = tf.provider.aws[0].region;
  const clientConfig = { endpoint: moto, region, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const dynamodb = new DynamoDBClient(clientConfig);
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const sns = new SNSClient(clientConfig);
  const sqs = new SQSClient(clientConfig);

  const known = (type: string, attribute: string, block: any): string | undefined => {
    if (type === "aws_caller_identity" && attribute === "account_id") return ACCOUNT;
    if (type === "aws_region" && attribute === "region") return region;
    if (type === "aws_partition" && attribute === "partition") return "aws";
    if (type === "aws_sns_topic" && attribute === "arn") return `arn:aws:sns:${region}:${ACCOUNT}:${block.name}`;
    // Through the fault proxy, where the function's other calls go (the SQS client sends to the queue URL's host).
    if (type === "aws_sqs_queue" && attribute === "url") return `${proxy.endpoint}/${ACCOUNT}/${block.name}`;
    if (type === "aws_s3_bucket" && attribute === "bucket") return resolve(block.bucket);
    return undefined;
  };
  const resolve = (value: string) => resolveReferences(value, tf, known);

  // Bucket: name, versioning and default encryption as the stack declares them.
  const bucket = resolve(only(tf, "aws_s3_bucket").bucket);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const versioning = only(tf, "aws_s3_bucket_versioning").versioning_configuration.status;
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: versioning } }));
  const sse = only(tf, "aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default;
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: sse.sse_algorithm } }] },
    }),
  );

  // Table: the exact attribute definitions, key schema and time index.
  const table = only(tf, "aws_dynamodb_table");
  const keys = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: KeyType.HASH },
    ...(range ? [{ AttributeName: range, KeyType: KeyType.RANGE }] : []),
  ];
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table.name,
      BillingMode: table.billing_mode,
      AttributeDefinitions: table.attribute.map((a: any) => ({ AttributeName: a.name, AttributeType: a.type as ScalarAttributeType })),
      KeySchema: keys(table.hash_key, table.range_key),
      GlobalSecondaryIndexes: table.global_secondary_index.map((index: any) => ({
        IndexName: index.name,
        KeySchema: keys(index.hash_key, index.range_key),
        Projection: { ProjectionType: index.projection_type },
      })),
    }),
  );

  // Topic, an observer subscribed to it, and the dead-letter queue.
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: only(tf, "aws_sns_topic").name }));
  const observer = await sqs.send(new CreateQueueCommand({ QueueName: "notification-observer" }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: `arn:aws:sqs:${region}:${ACCOUNT}:notification-observer` }));
  const dlq = only(tf, "aws_sqs_queue");
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: dlq.name, Attributes: { MessageRetentionPeriod: String(dlq.message_retention_seconds) } }),
  );

  const proxy = await new FaultProxy(new URL(moto)).start();
  const fn = only(tf, "aws_lambda_function");
  const functionEnvironment: Record<string, string> = Object.fromEntries(
    Object.entries(fn.environment.variables as Record<string, string>).map(([key, value]) => [key, resolve(value)]),
  );
  const workers: ChildProcess[] = [];
  const stops: (() => void)[] = [];
  const processEnvironment = bundleEnvironment(functionEnvironment, BUNDLE, moto, region);

  return {
    tf,
    resolve,
    region,
    bucket,
    table: table.name,
    timeIndex: table.global_secondary_index[0].name,
    topicArn: TopicArn!,
    deadLetterQueueUrl: QueueUrl!,
    observerQueueUrl: observer.QueueUrl!,
    maxRetryAttempts: only(tf, "aws_lambda_function_event_invoke_config").maximum_retry_attempts,
    s3,
    documents,
    sqs,
    proxy,
    functionEnvironment,
    processEnvironment,
    async startFunction() {
      const worker = startWorker({ ...processEnvironment, AWS_ENDPOINT_URL: proxy.endpoint });
      workers.push(worker);
      return invoker(worker);
    },
    onClose: (stop) => void stops.push(stop),
    close: async () => {
      for (const worker of workers) worker.kill();
      for (const stop of stops) stop();
      await proxy.stop();
    },
  };
}

/** The environment of a process that runs a processor bundle against the emulator, as Lambda would run it. */
export function bundleEnvironment(
  functionEnvironment: Record<string, string>,
  bundle: string,
  endpoint: string,
  region: string,
): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    ...functionEnvironment,
    NODE_OPTIONS: "", // --enable-source-maps is set for Lambda; not needed here
    PROCESSOR_BUNDLE: bundle,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: "true",
  };
}

/** Starts the Lambda stand-in (lambda-worker.js) with that environment. */
export const startWorker = (env: Record<string, string | undefined>) =>
  fork(join(__dirname, "lambda-worker.js"), { env, stdio: ["ignore", "ignore", "inherit", "ipc"] });

/** Runs one invocation in the worker; `nodeVersion` is the worker's Node, as it reported at cold start. */
export type Invoke = ((event: unknown) => Promise<any>) & { readonly nodeVersion: string };

/** Sends invocations to a worker process and matches its answers to them. */
export async function invoker(worker: ChildProcess): Promise<Invoke> {
  const pending = new Map<string, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  const nodeVersion = await new Promise<string>((resolve, reject) => {
    worker.once("message", (ready: any) => resolve(ready.node));
    worker.once("exit", (code) => reject(new Error(`the function's process exited at cold start (code ${code})`)));
  });
  worker.on("message", (message: any) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiting?.resolve(message.result);
    else waiting?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
  });
  let next = 0;
  const invoke = (event: unknown) =>
    new Promise<any>((resolve, reject) => {
      const id = `invocation-${next++}`;
      pending.set(id, { resolve, reject });
      worker.send({ id, event });
    });
  return Object.assign(invoke, { nodeVersion });
}

let sequence = 0x1000;
/** S3 sequencers grow per key; a counter gives every upload a later one. */
export const nextSequencer = () => (sequence++).toString(16).toUpperCase().padStart(16, "0");

/** Uploads an object and returns the S3 event S3 would send for it, built from the real response. */
export async function upload(h: Harness, key: string, body: Uint8Array | string, contentType?: string) {
  const put = await h.s3.send(new PutObjectCommand({ Bucket: h.bucket, Key: key, Body: body, ContentType: contentType }));
  const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  return eventFor(h, key, size, put);
}

/** The S3 event S3 would send for a PutObject response to `bucket` in `region`. */
export function eventFor(h: { region: string; bucket: string }, key: string, size: number, put: { ETag?: string; VersionId?: string }) {
  const record = {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: h.region,
    eventTime: new Date().toISOString(),
    eventName: "ObjectCreated:Put",
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "process-images",
      bucket: { name: h.bucket, arn: `arn:aws:s3:::${h.bucket}` },
      object: {
        key: encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/"),
        size,
        eTag: put.ETag!.replace(/"/g, ""),
        versionId: put.VersionId,
        sequencer: nextSequencer(),
      },
    },
  };
  return { event: { Records: [record] }, versionId: put.VersionId!, record };
}

/** The S3 event S3 would send for a deletion (a user's, or the bucket lifecycle's): a delete marker created, or a version deleted for good. */
export function removalEventFor(
  h: { region: string; bucket: string },
  key: string,
  eventName:
    | "ObjectRemoved:DeleteMarkerCreated"
    | "ObjectRemoved:Delete"
    | "LifecycleExpiration:Delete"
    | "LifecycleExpiration:DeleteMarkerCreated",
  versionId: string,
) {
  const { record } = eventFor(h, key, 0, { ETag: "", VersionId: versionId });
  return {
    Records: [
      {
        ...record,
        eventName,
        s3: { ...record.s3, object: { key: record.s3.object.key, versionId, sequencer: record.s3.object.sequencer } },
      },
    ],
  };
}

export async function scanTable(h: Harness): Promise<any[]> {
  const items: any[] = [];
  let ExclusiveStartKey: Record<string, any> | undefined;
  do {
    const page = await h.documents.send(new ScanCommand({ TableName: h.table, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Reads every message waiting in a queue. */
export async function drain(h: Harness, queueUrl: string): Promise<any[]> {
  const bodies: any[] = [];
  for (;;) {
    const { Messages } = await h.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
    );
    if (!Messages?.length) return bodies;
    bodies.push(...Messages.map((message) => JSON.parse(message.Body!)));
  }
}

export async function queueDepth(h: Harness, queueUrl: string): Promise<number> {
  const { Attributes } = await h.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

/**
 * Lambda's asynchronous invocation contract, as the stack configures it: the first attempt
 * plus up to `maxRetryAttempts` retries; after the last failure the event goes to the
 * on-failure destination (the dead-letter queue) in Lambda's destination record format.
 */
export async function invokeAsync(h: Harness, invoke: Invoke, event: unknown) {
  let lastError: unknown;
  for (let attempt = 0; attempt <= h.maxRetryAttempts; attempt++) {
    try {
      return { ok: true as const, attempts: attempt + 1, result: await invoke(event) };
    } catch (error) {
      lastError = error;
    }
  }
  await h.sqs.send(
    new SendMessageCommand({
      QueueUrl: h.deadLetterQueueUrl,
      MessageBody: JSON.stringify({
        version: "1.0",
        requestContext: { condition: "RetriesExhausted", approximateInvokeCount: h.maxRetryAttempts + 1 },
        requestPayload: event,
        responsePayload: { errorType: (lastError as Error).name, errorMessage: (lastError as Error).message },
      }),
    }),
  );
  return { ok: false as const, attempts: h.maxRetryAttempts + 1, error: lastError };
}
