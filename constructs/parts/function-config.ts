// The Lambda configuration both functions of the pipeline share.
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { LambdaFunctionConfig } from "@cdktf/provider-aws/lib/lambda-function";
import type { CodeArchive } from "../shipping/code-archive";

/** The Lambda runtime of both functions; the test suites run on the same Node major. */
export const PROCESSOR_RUNTIME = "nodejs22.x";

/**
 * Node 22 on arm64, the code archive (its path relative to the module, so plans are the same on
 * every machine), X-Ray tracing, JSON logs into the function's own log group, and source-mapped
 * stack traces, with the function's own environment variables.
 */
export const sharedFunctionConfig = (code: CodeArchive, logGroup: CloudwatchLogGroup, variables: Record<string, string>) =>
  ({
    runtime: PROCESSOR_RUNTIME,
    architectures: ["arm64"],
    handler: "index.handler",
    filename: `\${path.module}/${code.path}`,
    sourceCodeHash: code.base64Sha256,
    tracingConfig: { mode: "Active" },
    loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
    environment: { variables: { ...variables, NODE_OPTIONS: "--enable-source-maps" } },
  }) satisfies Partial<LambdaFunctionConfig>;
