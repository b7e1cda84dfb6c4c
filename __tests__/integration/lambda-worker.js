// A stand-in for a Lambda execution environment: a separate Node process that loads the
// deployed bundle (its cold start reads the environment the harness passes) and runs one
// invocation per message, as Lambda's runtime does.
const { handler } = require(process.env.PROCESSOR_BUNDLE);

process.on("message", async ({ id, event }) => {
  try {
    const result = await handler(event, { functionName: "ImageProcessor-dev", awsRequestId: id });
    process.send({ id, ok: true, result });
  } catch (error) {
    process.send({ id, ok: false, error: { name: error.name, message: error.message } });
  }
});
process.send({ ready: true, node: process.versions.node });
