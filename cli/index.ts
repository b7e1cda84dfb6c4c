#!/usr/bin/env node
// The `image-pipeline` bin (package.json "bin"): wires the process to the command.
import { run } from "./program";

// Output piped into `head` and the like: stop quietly when the reader has gone.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const controller = new AbortController();
process.once("SIGINT", () => {
  process.stderr.write("\nstopping after the work in flight (Ctrl-C again to quit now)\n");
  controller.abort();
  process.once("SIGINT", () => process.exit(130));
});

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`image-pipeline: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
