import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { CreateQueueCommand } from "@aws-sdk/client-sqs";
import { type PumpTally, pumpQueue } from "./event-source-mapping";
import { EXAMPLE_RENDITIONS } from "../../functions/image-derivatives/environment";
import { synthStack } from "../helpers/synth";
import {
  ACCOUNT,
  type Harness,
  type Invoke,
  bundleEnvironment,
  invoker,
  isDerivativesAddress,
  provisionFromStack,
  scanTable,
  startWorker,
} from "./harness";

const BUNDLE = join(__dirname, "..", "..", "build", "image-derivatives", "index.js");

/** The derivatives part of a synthesized stack, created in the emulator beside the pipeline's core. */
export interface DerivativesHarness {
  readonly bucket: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  /** The function's environment, as synthesized, resolved. */
  readonly functionEnvironment: Record<string, string>;
  /**
   * Starts the deployed artifact (build/image-derivatives: the bundle beside its node_modules;
   * on this x64 machine sharp finds its x64 binaries in the project's node_modules) in its own
   * process, talking to the emulator through the fault proxy.
   */
  startFunction(overrides?: Record<string, string>): Promise<Invoke>;
  /** Lambda's SQS event source mapping as the stack configures it (event-source-mapping.ts), until the queue is empty. */
  pump(invokes: Invoke | readonly Invoke[]): Promise<PumpTally>;
  /** Every version of every object in the derivatives bucket. */
  versions(): Promise<{ key: string; versionId: string; eTag: string }[]>;
  read(key: string): Promise<{
    bytes: Buffer;
    contentType?: string;
    metadata?: Record<string, string>;
  }>;
}

type Block = Record<string, any>;

/** The derivatives resource of a type: the one whose address is in the derivatives part (and, if given, whose name starts so). */
function derivativesResource(h: Harness, type: string, nameAttribute?: string, prefix?: string): Block {
  const all = Object.entries(h.tf.resource[type] ?? {})
    .filter(([name]) => isDerivativesAddress(name))
    .map(([, block]) => block as Block)
    .filter((block) => !prefix || String(h.resolve(block[nameAttribute!])).startsWith(prefix));
  if (all.length !== 1) throw new Error(`expected one derivatives ${type}${prefix ? ` named ${prefix}*` : ""}, found ${all.length}`);
  return all[0];
}

export async function provisionDerivatives(h: Harness): Promise<DerivativesHarness> {
  const bucketBlock = derivativesResource(h, "aws_s3_bucket");
  const bucket = h.resolve(bucketBlock.bucket);
  await h.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await h.s3.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: "Enabled" },
    }),
  );

  const fnBlock = derivativesResource(h, "aws_lambda_function");
  const queueBlock = derivativesResource(h, "aws_sqs_queue", "name", fnBlock.function_name);
  const dlqBlock = derivativesResource(h, "aws_sqs_queue", "name", `${fnBlock.function_name.replace(/-[^-]+$/, "")}-DLQ`);
  const maxReceiveCount = Number(
    /"maxReceiveCount" = (\d+)/.exec(derivativesResource(h, "aws_sqs_queue_redrive_policy").redrive_policy)?.[1],
  );
  const mapping = derivativesResource(h, "aws_lambda_event_source_mapping");
  const dlq = await h.sqs.send(new CreateQueueCommand({ QueueName: dlqBlock.name }));
  const dlqArn = `arn:aws:sqs:${h.region}:${ACCOUNT}:${dlqBlock.name}`;
  const queue = await h.sqs.send(
    new CreateQueueCommand({
      QueueName: queueBlock.name,
      Attributes: {
        VisibilityTimeout: String(queueBlock.visibility_timeout_seconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount,
        }),
      },
    }),
  );
  const functionEnvironment: Record<string, string> = Object.fromEntries(
    Object.entries(fnBlock.environment.variables as Record<string, string>).map(([key, value]) => [key, h.resolve(value)]),
  );
  const moto = process.env.MOTO_ENDPOINT!;
  const processEnvironment = bundleEnvironment(functionEnvironment, BUNDLE, moto, h.region);

  return {
    bucket,
    queueUrl: queue.QueueUrl!,
    deadLetterQueueUrl: dlq.QueueUrl!,
    maxReceiveCount,
    batchSize: mapping.batch_size,
    functionEnvironment,
    async startFunction(overrides = {}) {
      const worker = startWorker({
        ...processEnvironment,
        ...overrides,
        AWS_ENDPOINT_URL: h.proxy.endpoint,
      });
      h.onClose(() => worker.kill());
      return invoker(worker);
    },
    pump: (invokes) =>
      pumpQueue(
        h.sqs,
        {
          url: queue.QueueUrl!,
          arn: `arn:aws:sqs:${h.region}:${ACCOUNT}:${queueBlock.name}`,
          region: h.region,
          batchSize: mapping.batch_size,
        },
        invokes,
      ),
    async versions() {
      const all: { key: string; versionId: string; eTag: string }[] = [];
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      do {
        const page = await h.s3.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            KeyMarker,
            VersionIdMarker,
          }),
        );
        all.push(
          ...(page.Versions ?? []).map((v) => ({
            key: v.Key!,
            versionId: v.VersionId!,
            eTag: v.ETag!,
          })),
        );
        KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (KeyMarker);
      return all;
    },
    async read(key) {
      const object = await h.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return {
        bytes: Buffer.from(await object.Body!.transformToByteArray()),
        contentType: object.ContentType,
        metadata: object.Metadata,
      };
    },
  };
}

/** The example-renditions pipeline in the emulator, with the processor and the derivatives function started. */
export interface DerivativesPipeline {
  readonly h: Harness;
  readonly d: DerivativesHarness;
  readonly processor: Invoke;
  readonly derivatives: Invoke;
  /** Every item of the table by object key. */
  itemsByKey(): Promise<Map<string, any>>;
}

export async function startDerivativesPipeline(): Promise<DerivativesPipeline> {
  const { tf } = synthStack({ derivatives: EXAMPLE_RENDITIONS });
  const h = await provisionFromStack(tf as never);
  const d = await provisionDerivatives(h);
  const [processor, derivatives] = await Promise.all([h.startFunction(), d.startFunction()]);
  return {
    h,
    d,
    processor,
    derivatives,
    itemsByKey: async () => new Map((await scanTable(h)).map((item) => [item.ObjectKey as string, item])),
  };
}
