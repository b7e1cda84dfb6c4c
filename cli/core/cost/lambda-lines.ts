import { ASSUMPTIONS as A } from "./assumptions";
import type { Line } from "./cost-line";
import type { FunctionFacts } from "./pipeline-facts";
import { DAYS_PER_MONTH, GIB, PRICES as P } from "./prices";

const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400;

export /** A function's requests, compute, logs and traces for `invocations` a month taking `seconds` of billed duration in all. */
function lambdaLines(
  line: (l: Line) => void,
  fn: FunctionFacts,
  invocations: number,
  billedSeconds: number,
  msEach: string,
  month: number,
) {
  const gbSeconds = billedSeconds * (fn.memoryMb / 1024);
  line({
    item: "requests",
    quantity: invocations,
    unit: "requests",
    usdPerUnit: P.lambda.perRequest,
    basis: "configured",
    freeTier: "lambdaRequests",
  });
  line({
    item: `compute at ${fn.memoryMb} MB, ${fn.architecture}, ${msEach}`,
    quantity: gbSeconds,
    unit: "GB-seconds",
    usdPerUnit: P.lambda.perGbSecond[fn.architecture],
    basis: "measured",
    freeTier: "lambdaGbSeconds",
  });
  const logGb = (invocations * A.logBytesPerInvocation) / GIB;
  const group = fn.logGroupId;
  line({
    address: group,
    item: "logs ingested",
    quantity: logGb,
    unit: "GB",
    usdPerUnit: P.cloudwatch.logsIngestedPerGb,
    basis: "assumed",
    freeTier: "logsGb",
  });
  // Stored on average through the month: what the retention keeps of the months so far.
  const months = fn.logRetentionDays ? Math.min(month - 0.5, fn.logRetentionDays / DAYS_PER_MONTH) : month - 0.5;
  line({
    address: group,
    item: fn.logRetentionDays ? `logs stored (${fn.logRetentionDays} days' retention)` : "logs stored (kept forever)",
    quantity: logGb * months,
    unit: "GB-months",
    usdPerUnit: P.cloudwatch.logsStoredPerGbMonth,
    basis: "assumed",
    freeTier: "logsGb",
  });
  if (fn.tracing) {
    const perSecond = invocations / SECONDS_PER_MONTH;
    const traces =
      SECONDS_PER_MONTH *
      (Math.min(perSecond, A.xrayReservoirPerSecond) + A.xrayFixedRate * Math.max(0, perSecond - A.xrayReservoirPerSecond));
    line({
      item: "X-Ray traces recorded (default sampling)",
      quantity: traces,
      unit: "traces",
      usdPerUnit: P.xray.perTraceRecorded,
      basis: "assumed",
      freeTier: "xrayTraces",
    });
  }
}
