// The Lambda configuration both functions of the pipeline share.
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { LambdaFunctionConfig } from "@cdktf/provider-aws/lib/lambda-function";
import { Fn, Token } from "cdktf";
import type { CodeArchive } from "../support/code-archive";
import { asText } from "../support/tokens";

/** The Lambda runtime of both functions; the test suites run on the same Node major. */
export const PROCESSOR_RUNTIME = "nodejs22.x";

/**
 * Node 22 on arm64, the code archive (its path relative to the module, so plans are the same on
 * every machine), X-Ray tracing, JSON logs into the function's own log group, and source-mapped
 * stack traces, with the function's own environment variables.
 */
export const sharedFunctionConfig = (code: CodeArchive, logGroup: CloudwatchLogGroup, variables: Record<string, string>, tracing = true) =>
  ({
    runtime: PROCESSOR_RUNTIME,
    architectures: ["arm64"],
    handler: "index.handler",
    filename: `\${path.module}/${code.path}`,
    sourceCodeHash: code.base64Sha256,
    tracingConfig: { mode: tracingMode(tracing) },
    loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
    environment: {
      variables: {
        ...variables,
        // Powertools' switch: off, the functions never load the Tracer (functions/shared/tracing.ts).
        ...(tracing === true ? {} : { POWERTOOLS_TRACE_ENABLED: asText(tracing) }),
        NODE_OPTIONS: "--enable-source-maps",
      },
    },
  }) satisfies Partial<LambdaFunctionConfig>;

/** Lambda's tracing mode: Active, or PassThrough with tracing off (a module variable: decided at plan time). */
const tracingMode = (tracing: boolean): string =>
  Token.isUnresolved(tracing) ? Token.asString(Fn.conditional(tracing, "Active", "PassThrough")) : tracing ? "Active" : "PassThrough";
