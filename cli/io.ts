/** Where a command writes and what it is told; the bin passes the process's, tests their own. */
export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: long commands stop between batches and say how to resume. */
  readonly signal: AbortSignal;
}

export const line = (stream: NodeJS.WritableStream, text = "") => stream.write(`${text}\n`);
