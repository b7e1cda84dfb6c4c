type HandlerModule = typeof import("../../functions/image-processor/handler");

/**
 * Loads the handler module afresh with the given environment, as a cold start does:
 * its configuration and clients are created at import. The process environment is
 * restored afterwards; the clients keep what they read. `beforeLoad` runs in the same module
 * registry first (the handler's own SDK classes are that registry's: mock them there).
 */
export function loadHandler(env: Record<string, string | undefined>, beforeLoad?: () => void): HandlerModule {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_REGION: "eu-west-1", POWERTOOLS_DEV: "true", POWERTOOLS_LOG_LEVEL: "SILENT" });
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    let module: HandlerModule | undefined;
    jest.isolateModules(() => {
      beforeLoad?.();
      module = require("../../functions/image-processor/handler");
    });
    return module!;
  } finally {
    process.env = saved;
  }
}
