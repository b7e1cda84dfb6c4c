import type { ProcessorConfig } from "./config";
import {
  type BatchOperationsEvent,
  type BatchTaskResult,
  batchResponse,
  isTransient,
  parseBatchTasks,
} from "./core/batch-operations-event";
import { type ObjectResult, processRecords } from "./process-event";
import type { Dependencies } from "./ports";

/** What the task's result says of an object that was processed. */
function succeeded(result: ObjectResult & { ok: true }): string {
  const { item, saved } = result;
  const what = item.Reason ? `${item.Status}: ${item.Reason}` : item.Status;
  return saved === "written" ? what : `${what} (already recorded: ${saved})`;
}

/**
 * A Batch Operations invocation (`image-pipeline backfill --engine batch-operations`): each task's
 * object version is processed as a backfill event is, and answered on its own: Succeeded (with the
 * item's status), TemporaryFailure for throttling and transient AWS errors (S3 retries the task),
 * PermanentFailure with the reason for anything else. A task that names no object is answered
 * PermanentFailure and recorded nowhere else: the job's completion report holds it.
 */
export async function processBatchOperations(event: BatchOperationsEvent, deps: Dependencies, config: ProcessorConfig) {
  const tasks = parseBatchTasks(event, deps.now());
  const objects = tasks.flatMap(({ parsed }) => ("reason" in parsed ? [] : [parsed]));
  const summary = await processRecords(objects, [], deps, config);
  const results: BatchTaskResult[] = tasks.map(({ taskId, parsed }) => {
    if ("reason" in parsed) return { taskId, resultCode: "PermanentFailure", resultString: parsed.reason };
    const result = summary.results.find((r) => r.ref === parsed);
    if (!result)
      return {
        taskId,
        resultCode: "Succeeded",
        resultString: "skipped: the key does not end in an image suffix of the configured formats",
      };
    if (result.ok) return { taskId, resultCode: "Succeeded", resultString: succeeded(result) };
    const error = result.error as Error;
    const reason = `${error?.name ?? "Error"}: ${error?.message ?? String(error)}`;
    return { taskId, resultCode: isTransient(error) ? "TemporaryFailure" : "PermanentFailure", resultString: reason };
  });
  return { summary, response: batchResponse(event, results) };
}
