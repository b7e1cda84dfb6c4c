// Every service call a function makes for one image, in order, and which of them overlap: the
// ports of the processor and the derivatives function wrapped so that each call is recorded as the
// request its adapter sends (the moto suite checks the same at the proxy, request by request).
import type { Dependencies } from "../../functions/image-processor/ports";
import type { DerivativesDependencies } from "../../functions/image-derivatives/ports";

export type Service = "s3" | "dynamodb" | "sns" | "sqs";
/** `<service>:<operation>`, as the bill names a request. */
export type Request = `${Service}:${string}`;

/** The request each port method sends (its adapter in functions/*\/adapters). */
export const PROCESSOR_REQUESTS = {
  images: { open: "s3:GetObject", read: "s3:GetObject", versions: "s3:ListObjectVersions" },
  store: { save: "dynamodb:PutItem", markNotified: "dynamodb:UpdateItem", markDeleted: "dynamodb:UpdateItem" },
  notifier: { publish: "sns:Publish" },
  derivatives: { request: "sqs:SendMessage" },
} as const satisfies Record<string, Record<string, Request>>;

export const DERIVATIVES_REQUESTS = {
  images: { readCurrent: "s3:GetObject", currentVersion: "s3:HeadObject" },
  renditions: { put: "s3:PutObject", delete: "s3:DeleteObject" },
  // The item is read with ConsistentRead (dynamodb-derivatives-store.ts): one read unit per 4 KB.
  store: { get: "dynamodb:GetItem", recordDerivatives: "dynamodb:UpdateItem", recordFailure: "dynamodb:UpdateItem" },
} as const satisfies Record<string, Record<string, Request>>;

/**
 * Records the calls made through the ports it wraps. A round trip is a set of calls in flight
 * together: one starts whenever a call begins while none is in flight, so calls made side by side
 * (Promise.all) count once and calls that wait for each other count each.
 */
export class CallRecorder {
  readonly calls: Request[] = [];
  roundTrips = 0;
  private inFlight = 0;

  wrap<T extends object>(port: T, requests: Readonly<Record<string, Request>>): T {
    return new Proxy(port, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver);
        const request = typeof name === "string" ? requests[name] : undefined;
        if (!request || typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          if (this.inFlight++ === 0) this.roundTrips++;
          this.calls.push(request);
          try {
            // Yield before answering, so that a call made beside this one starts while it is in flight.
            await Promise.resolve();
            return await value.apply(target, args);
          } finally {
            this.inFlight--;
          }
        };
      },
    });
  }

  /** Requests by `<service>:<operation>`, in the order of the keys' first use. */
  byRequest(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) counts[call] = (counts[call] ?? 0) + 1;
    return counts;
  }

  /** Requests by service. */
  byService(): Partial<Record<Service, number>> {
    const counts: Partial<Record<Service, number>> = {};
    for (const call of this.calls) {
      const service = call.split(":")[0] as Service;
      counts[service] = (counts[service] ?? 0) + 1;
    }
    return counts;
  }
}

/** The processor's dependencies with every port call recorded. */
export function recordProcessor(deps: Dependencies, recorder: CallRecorder): Dependencies {
  return {
    ...deps,
    images: recorder.wrap(deps.images, PROCESSOR_REQUESTS.images),
    store: recorder.wrap(deps.store, PROCESSOR_REQUESTS.store),
    notifier: recorder.wrap(deps.notifier, PROCESSOR_REQUESTS.notifier),
    ...(deps.derivatives ? { derivatives: recorder.wrap(deps.derivatives, PROCESSOR_REQUESTS.derivatives) } : {}),
  };
}

/** The derivatives function's dependencies with every port call recorded. */
export function recordDerivatives<T extends DerivativesDependencies>(deps: T, recorder: CallRecorder): T {
  return {
    ...deps,
    images: recorder.wrap(deps.images, DERIVATIVES_REQUESTS.images),
    renditions: recorder.wrap(deps.renditions, DERIVATIVES_REQUESTS.renditions),
    store: recorder.wrap(deps.store, DERIVATIVES_REQUESTS.store),
  };
}
