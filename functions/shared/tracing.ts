import type { Tracer } from "@aws-lambda-powertools/tracer";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * X-Ray tracing of a function's SDK clients through Powertools' Tracer, set up when the first
 * event arrives instead of when the bundle loads. Loading the Tracer runs the X-Ray SDK's module
 * tree (its patchers, samplers and semver), about a fifth of the processor's cold start; a
 * `require` here runs it on the first call, before the first SDK call is made, so that call and
 * every later one is traced. With tracing off (`POWERTOOLS_TRACE_ENABLED=false`) it never loads.
 *
 * @returns what the handler calls first on every event; the tracer after the first call, or
 *   undefined when tracing is off.
 */
export function traceOnFirstEvent(clients: readonly object[], env: Env = process.env): () => Tracer | undefined {
  let tracer: Tracer | undefined;
  let settled = false;
  return () => {
    if (settled) return tracer;
    settled = true;
    if (env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() === "false") return undefined;
    const { Tracer } = require("@aws-lambda-powertools/tracer") as typeof import("@aws-lambda-powertools/tracer");
    tracer = new Tracer();
    for (const client of clients) tracer.captureAWSv3Client(client);
    return tracer;
  };
}
