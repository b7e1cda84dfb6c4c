// Prints the processor bundle's size, its largest inputs (esbuild metafile), and the
// cold-start time: loading the bundle and creating its clients in a fresh Node process,
// no network. Median of RUNS processes.   Usage: node scripts/cold-start.mjs [runs]
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { DERIVATIVES_DIR, ESBUILD_OPTIONS, FUNCTION_DIR, ROOT, bundleSummary, buildFunction } from "./build.mjs";
import { median } from "./timing.mjs";

const bundle = join(FUNCTION_DIR, "index.js");

/** What Lambda and the stack set for the processor; the values only need to be well-formed. */
const LAMBDA_ENV = {
  PATH: process.env.PATH,
  AWS_REGION: "us-east-1",
  AWS_LAMBDA_FUNCTION_NAME: "ImageProcessor-bench",
  AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  METADATA_TABLE: "ImageMetadata-bench",
  SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:ImageProcessingNotifications-bench",
  ENVIRONMENT: "bench",
  POWERTOOLS_SERVICE_NAME: "image-processor",
  POWERTOOLS_METRICS_NAMESPACE: "ImageProcessing",
};

/** What the derivatives function needs at cold start; sharp's x64 binaries come from the project (NODE_PATH). */
export const DERIVATIVES_COLD_START = {
  bundle: join(DERIVATIVES_DIR, "index.js"),
  env: {
    METADATA_TABLE: "ImageMetadata-bench",
    DERIVATIVES_BUCKET: "image-derivatives-bench-123456789012",
    ENVIRONMENT: "bench",
    RENDITIONS: JSON.stringify([{ name: "thumbnail", width: 320, height: 320, fit: "cover" }]),
    POWERTOOLS_SERVICE_NAME: "image-derivatives",
    AWS_LAMBDA_FUNCTION_NAME: "ImageDerivatives-bench",
    NODE_PATH: join(ROOT, "node_modules"),
  },
};

/** The processor's environment with the derivatives queue set, so that it creates all four clients the bare bundle does. */
export const PROCESSOR_WITH_QUEUE = {
  bundle,
  env: { DERIVATIVES_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/ImageDerivativesRequests-bench" },
};

/**
 * The floor for the processor's cold start: a bundle of just the SDK clients it uses (S3, the
 * DynamoDB document client, SNS, SQS) created with the same settings, built here from the same
 * installed SDK versions and esbuild options, so the ratio holds on any machine.
 */
export async function buildBareSdkBundle() {
  const outfile = join(ROOT, "build", "bench", "bare-sdk", "index.js");
  await build({
    ...ESBUILD_OPTIONS,
    metafile: false,
    stdin: {
      resolveDir: ROOT,
      // Imports, as the processor's are, so that esbuild drops the same unused commands from both.
      loader: "js",
      contents: `
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
const config = { maxAttempts: 3, retryMode: "standard", requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 } };
export const clients = [new S3Client(config), DynamoDBDocumentClient.from(new DynamoDBClient(config)), new SNSClient(config), new SQSClient(config)];
`,
    },
    outfile,
  });
  return { bundle: outfile, env: {} };
}

/** Cold starts of `target` and `floor`, alternating process by process so that drift hits both alike; medians and their ratio. */
export function measureColdStartRatio(runs, target, floor) {
  const targetMs = [];
  const floorMs = [];
  for (let i = 0; i < runs; i++) {
    targetMs.push(measureColdStart(1, target).median);
    floorMs.push(measureColdStart(1, floor).median);
  }
  return { targetMs: median(targetMs), floorMs: median(floorMs), ratio: median(targetMs) / median(floorMs), runs };
}

/**
 * What the processor's first event pays that its cold start no longer does: loading Powertools'
 * Tracer (and the X-Ray SDK) from the zip's node_modules and creating it, in a fresh process that
 * has loaded the bundle (functions/shared/tracing.ts; tracing the clients then adds a middleware
 * to each). Median of `runs`.
 */
export function measureDeferredTracing(runs) {
  const probe = `
require(${JSON.stringify(bundle)});
const start = process.hrtime.bigint();
const { Tracer } = require(${JSON.stringify(join(FUNCTION_DIR, "node_modules", "@aws-lambda-powertools", "tracer"))});
new Tracer();
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;
  return median(
    Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ["-e", probe], { env: LAMBDA_ENV, cwd: ROOT }).toString())),
  );
}

/** Milliseconds to load a built bundle (which creates its clients) in `runs` fresh processes; the processor's by default. */
export function measureColdStart(runs, target = { bundle, env: {} }) {
  const probe = `
const start = process.hrtime.bigint();
require(${JSON.stringify(target.bundle)});
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;
  const env = { ...LAMBDA_ENV, ...target.env };
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ["-e", probe], { env }).toString()));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1), runs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 9);
  const { metafile } = await buildFunction();
  const { largest } = bundleSummary(metafile);
  const { median: medianMs, min, max } = measureColdStart(runs);
  console.log(`bundle: ${(statSync(bundle).size / 1024).toFixed(0)} KiB minified (build/image-processor/index.js)`);
  console.log("largest inputs:");
  for (const [name, bytes] of largest) console.log(`  ${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${name}`);
  console.log(
    `cold start (load bundle + create clients, fresh process, ${runs} runs): median ${medianMs.toFixed(1)} ms, min ${min.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
  );
}
