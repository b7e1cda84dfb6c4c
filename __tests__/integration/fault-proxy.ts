import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** One request that went through the proxy. */
export interface ProxiedRequest {
  readonly service: string;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly range?: string;
  readonly status: number;
  readonly responseBytes: number;
  readonly injected: boolean;
  /** When the proxy received it (ms since the epoch). */
  readonly at: number;
  /** When its answer was complete (ms since the epoch): requests whose spans overlap were in flight together. */
  readonly done: number;
  /** The request body, for the services named in recordBodies(). */
  readonly body?: string;
  readonly headers: IncomingMessage["headers"];
}

export interface FaultPlan {
  /** Share of requests (0..1) to each listed service that get a transient failure instead of an answer. */
  readonly rate: number;
  readonly services: readonly string[];
  /** Seed of the deterministic choice of failing requests. */
  readonly seed: number;
  /** Only requests whose path matches (for example Lambda's `/invocations`); all of the services' when absent. */
  readonly path?: RegExp;
}

/**
 * An answer the proxy gives itself, as the service would send it, to requests whose decoded path
 * matches: refusals the emulator cannot produce (S3's SSE-C and KMS answers).
 */
export interface CannedAnswer {
  readonly path: RegExp;
  readonly status: number;
  readonly body: string;
}

/**
 * The recorded requests as sequential round trips, in order, each the requests in flight together:
 * a request that starts before every request in flight has been answered overlaps them (made side
 * by side); one that starts after waits for them, and opens the next round trip.
 */
export function roundTripGroups<T extends Pick<ProxiedRequest, "at" | "done">>(requests: readonly T[]): T[][] {
  const groups: T[][] = [];
  let until = Number.NEGATIVE_INFINITY;
  for (const r of [...requests].sort((a, b) => a.at - b.at)) {
    if (r.at >= until) groups.push([]);
    groups[groups.length - 1].push(r);
    until = Math.max(until, r.done);
  }
  return groups;
}

/** Sequential round trips among recorded requests (roundTripGroups). */
export const roundTrips = (requests: readonly Pick<ProxiedRequest, "at" | "done">[]): number => roundTripGroups(requests).length;

/**
 * A request as the service's API and its bill name it: `dynamodb:GetItem`, `sqs:SendMessage`, and
 * for S3, whose REST requests carry no operation name, from the method and the query
 * (`s3:GetObject`, `s3:PutObject`, `s3:HeadObject`, `s3:ListObjectVersions`, ...).
 */
export function apiName(r: Pick<ProxiedRequest, "service" | "operation" | "method" | "path">): string {
  if (r.service !== "s3") return `${r.service}:${r.operation}`;
  const query = new URL(r.path, "http://proxy").searchParams;
  const onObject = new URL(r.path, "http://proxy").pathname.split("/").filter(Boolean).length > 1;
  if (r.method === "GET" && query.has("versions")) return "s3:ListObjectVersions";
  if (r.method === "GET" && !onObject) return "s3:ListObjects";
  if (r.method === "POST" && query.has("delete")) return "s3:DeleteObjects";
  const object = { GET: "GetObject", PUT: "PutObject", HEAD: "HeadObject", DELETE: "DeleteObject" }[r.method];
  return `s3:${object ?? `${r.method} object`}`;
}

/** Milliseconds since the epoch, to a fraction of one: requests a millisecond apart still order. */
const now = () => performance.timeOrigin + performance.now();

/** The service of a SigV4-signed request, from its credential scope (".../<region>/<service>/aws4_request"). */
const serviceOf = (req: IncomingMessage) => /\/[\w-]+\/([\w-]+)\/aws4_request/.exec(req.headers.authorization ?? "")?.[1] ?? "unknown";

function operationOf(req: IncomingMessage, service: string, body: Buffer): string {
  const target = req.headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop()!;
  const action = /(?:^|&)Action=(\w+)/.exec(body.toString("latin1"))?.[1];
  if (action) return action;
  return service === "s3" ? `${req.method} object` : "unknown";
}

/** A small seeded generator (mulberry32), so a fault run is the same run every time. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Transient failures as each service sends them: throttling for DynamoDB, 5xx for the others. */
function injectFault(service: string, res: ServerResponse) {
  if (service === "dynamodb") {
    res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
    res.end(
      JSON.stringify({
        __type: "com.amazonaws.dynamodb.v20120810#ThrottlingException",
        message: "Rate of requests exceeds the allowed throughput.",
      }),
    );
  } else {
    res.writeHead(503, { "content-type": "application/xml" });
    res.end("<Error><Code>ServiceUnavailable</Code><Message>Please reduce your request rate.</Message></Error>");
  }
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the emulator: records every request (service,
 * operation, Range header, bytes returned) and fails a planned share of them.
 */
export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private plan: FaultPlan = { rate: 0, services: [], seed: 1 };
  private bodiesOf = new Set<string>();
  private canned: readonly CannedAnswer[] = [];
  private next = random(1);
  private server?: Server;

  constructor(private readonly target: URL) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Keeps the bodies of requests to these services (for example "lambda": the invoke payloads). */
  recordBodies(services: string[]) {
    this.bodiesOf = new Set(services);
  }

  /** Answers matching requests itself (recorded as injected) until called again. */
  setAnswers(canned: readonly CannedAnswer[]) {
    this.canned = canned;
  }

  setFaults(plan: FaultPlan) {
    this.plan = plan;
    this.next = random(plan.seed);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    // In flight from its first byte: a request with a body (a PUT) is sent side by side with another
    // when it starts before that one is answered, however long its body takes to arrive.
    const at = now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const service = serviceOf(req);
      const base = {
        service,
        operation: operationOf(req, service, body),
        method: req.method!,
        path: req.url!,
        range: req.headers.range,
        at,
        headers: req.headers,
        ...(this.bodiesOf.has(service) ? { body: body.toString("utf8") } : {}),
      };
      const canned = this.canned.find((answer) => answer.path.test(decodeURIComponent(req.url!)));
      if (canned) {
        res.writeHead(canned.status, { "content-type": "application/xml" });
        res.end(canned.body);
        this.requests.push({ ...base, status: canned.status, responseBytes: 0, injected: true, done: now() });
        return;
      }
      const planned = this.plan.services.includes(service) && (!this.plan.path || this.plan.path.test(req.url!));
      if (planned && this.next() < this.plan.rate) {
        injectFault(service, res);
        this.requests.push({ ...base, status: res.statusCode, responseBytes: 0, injected: true, done: now() });
        return;
      }
      const upstream = request(
        { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          let responseBytes = 0;
          res.writeHead(answer.statusCode!, answer.headers);
          answer.on("data", (chunk: Buffer) => {
            responseBytes += chunk.length;
            res.write(chunk);
          });
          answer.on("end", () => {
            this.requests.push({ ...base, status: answer.statusCode!, responseBytes, injected: false, done: now() });
            res.end();
          });
        },
      );
      upstream.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      upstream.end(body);
    });
  }
}
