import { PassThrough } from "node:stream";
import { run } from "../../cli/program";

/** Runs `image-pipeline` in-process, as the bin does, and captures what it writes. */
export async function runCli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on("data", (c) => chunks.stdout.push(c));
  stderr.on("data", (c) => chunks.stderr.push(c));
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await run(args, { stdout, stderr, env: {}, signal: new AbortController().signal }, () => {
      throw new Error("the review commands need no AWS clients");
    });
    return { code, stdout: Buffer.concat(chunks.stdout).toString(), stderr: Buffer.concat(chunks.stderr).toString() };
  } finally {
    if (cwd) process.chdir(previous);
  }
}
