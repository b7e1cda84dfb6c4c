// What `image-pipeline backfill` is asked to do (cli/command-line/backfill.ts reads it from the command line).
export interface BackfillOptions {
  readonly prefix?: string;
  readonly since?: Date;
  /** Most objects sent per second; unlimited when absent. */
  readonly rate?: number;
  readonly dryRun: boolean;
  readonly startAfter?: string;
  readonly reprocess: boolean;
  /** Records per invocation. */
  readonly batchSize: number;
  /** Invocations in flight at once. */
  readonly concurrency: number;
  readonly json: boolean;
}
