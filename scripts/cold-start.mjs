// Prints the processor bundle's size, its largest inputs (esbuild metafile), and the
// cold-start time: loading the bundle and creating its clients in a fresh Node process,
// no network. Median of RUNS processes.   Usage: node scripts/cold-start.mjs [runs]
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DERIVATIVES_DIR, FUNCTION_DIR, ROOT, bundleSummary, buildFunction } from "./build.mjs";

const bundle = join(FUNCTION_DIR, "index.js");

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

/** Milliseconds to load a built bundle (which creates its clients) in `runs` fresh processes; the processor's by default. */
export function measureColdStart(runs, target = { bundle, env: {} }) {
  const probe = `
const start = process.hrtime.bigint();
require(${JSON.stringify(target.bundle)});
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;
  const env = {
    PATH: process.env.PATH,
    // What Lambda and the stack set; the values only need to be well-formed.
    AWS_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_NAME: "ImageProcessor-bench",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    METADATA_TABLE: "ImageMetadata-bench",
    SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:ImageProcessingNotifications-bench",
    ENVIRONMENT: "bench",
    POWERTOOLS_SERVICE_NAME: "image-processor",
    POWERTOOLS_METRICS_NAMESPACE: "ImageProcessing",
    ...target.env,
  };
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ["-e", probe], { env }).toString()));
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1), runs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 9);
  const { metafile } = await buildFunction();
  const { largest } = bundleSummary(metafile);
  const { median, min, max } = measureColdStart(runs);
  console.log(`bundle: ${(statSync(bundle).size / 1024).toFixed(0)} KiB minified (build/image-processor/index.js)`);
  console.log("largest inputs:");
  for (const [name, bytes] of largest) console.log(`  ${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${name}`);
  console.log(`cold start (load bundle + create clients, fresh process, ${runs} runs): median ${median.toFixed(1)} ms, min ${min.toFixed(1)} ms, max ${max.toFixed(1)} ms`);
}
