// Runs `image-pipeline` in-process against the emulator, provisioned from the synthesized dev
// stack as the integration suite does, with the function created in moto (which accepts
// asynchronous invocations but cannot run them: the suite runs their payloads through the bundle).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { zipSync } from "fflate";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { run } from "../../cli/program";
import { type Harness, provisionFromStack } from "./harness";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliHarness extends Harness {
  readonly functionArn: string;
  readonly functionName: string;
  /** `terraform output -json` of the stack, as an operator would save it. */
  readonly outputsFile: string;
  /** Runs the command with the emulator as its AWS endpoint (through the recording proxy). */
  cli(args: string[], options?: { env?: Record<string, string | undefined>; signal?: AbortSignal }): Promise<CliResult>;
  /** The payloads of the asynchronous invocations the proxy saw since `since`, in the order they finished. */
  invocations(since?: number): { at: number; type: string | undefined; payload: any }[];
  /**
   * Resolves once the proxy has seen `count` invocations since `since`: a test that interrupts a
   * run waits for the work to be under way, not for a time that a loaded machine may not meet.
   */
  invoked(count: number, since: number, timeoutMs?: number): Promise<void>;
}

/** The dev stack provisioned for the command, or `given` (a stack already provisioned, with derivatives say). */
export async function provisionForCli(given?: Harness): Promise<CliHarness> {
  const h = given ?? (await provisionFromStack());
  h.proxy.recordBodies(["lambda"]);
  const motoConfig = {
    endpoint: process.env.MOTO_ENDPOINT,
    region: h.region,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  const fn = (Object.values(h.tf.resource.aws_lambda_function) as any[]).find((f) => !/ImageDerivatives/.test(f.function_name));
  const role = await new IAMClient(motoConfig).send(new CreateRoleCommand({ RoleName: fn.function_name, AssumeRolePolicyDocument: "{}" }));
  const created = await new LambdaClient(motoConfig).send(
    new CreateFunctionCommand({
      FunctionName: fn.function_name,
      Runtime: fn.runtime,
      Role: role.Role!.Arn,
      Handler: fn.handler,
      Code: { ZipFile: zipSync({ "index.js": new TextEncoder().encode("exports.handler = async () => ({});") }) },
      Environment: { Variables: h.functionEnvironment },
    }),
  );
  const outputsFile = join(mkdtempSync(join(tmpdir(), "cli-outputs-")), "outputs.json");
  const output = (value: string) => ({ sensitive: false, type: "string", value });
  writeFileSync(
    outputsFile,
    JSON.stringify({
      S3BucketName: output(h.bucket),
      DynamoDBTableName: output(h.table),
      LambdaFunctionArn: output(created.FunctionArn!),
      SNSTopicArn: output(h.topicArn),
      DeadLetterQueueUrl: output(h.deadLetterQueueUrl),
    }),
  );

  const invocations = (since = 0) =>
    h.proxy.requests
      .filter((r) => r.service === "lambda" && r.path.endsWith("/invocations") && r.at >= since)
      .map((r) => ({ at: r.at, type: r.headers["x-amz-invocation-type"] as string | undefined, payload: JSON.parse(r.body ?? "null") }));

  return {
    ...h,
    functionArn: created.FunctionArn!,
    functionName: fn.function_name,
    outputsFile,
    cli(args, options = {}) {
      return runCli(args, { AWS_ENDPOINT_URL: h.proxy.endpoint, AWS_REGION: h.region, ...options.env }, options.signal);
    },
    invocations,
    async invoked(count, since, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (invocations(since).length < count) {
        if (Date.now() > deadline) throw new Error(`the proxy saw ${invocations(since).length} of ${count} invocations in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

/**
 * Runs `image-pipeline` in this process, with `env` over the test credentials in the process
 * environment for the call (the SDK reads its configuration from there, as the bin's would).
 */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  signal = new AbortController().signal,
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on("data", (c) => chunks.out.push(c));
  stderr.on("data", (c) => chunks.err.push(c));
  const all = {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...env,
  };
  const saved = Object.fromEntries(Object.keys(all).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(all))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    const code = await run(args, { stdout, stderr, env: process.env, signal });
    return { code, stdout: Buffer.concat(chunks.out).toString(), stderr: Buffer.concat(chunks.err).toString() };
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}
