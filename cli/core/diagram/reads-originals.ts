import type { DiagramEdge, DiagramNode } from "./graph";

/**
 * The reads no resource argument shows, granted through IAM only: a function a bucket's events
 * reach (directly by a notification, or through rules and queues) reads the image the event names;
 * and a function that takes requests from a queue another such function feeds (the derivatives
 * function, fed by the processor) reads the originals from those same buckets, since each request
 * names a bucket and key. The reads are drawn beside the flow, not ranking their ends: a function
 * stays downstream of what feeds it.
 */
export function readsOfOriginals(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[]): DiagramEdge[] {
  const kind = new Map(nodes.map((n) => [n.id, n.kind]));
  const flows = edges.filter((e) => e.kind === "flow");
  /** The buckets whose events reach a node, through rules and queues only. */
  const bucketsReaching = (id: string, seen = new Set<string>()): string[] =>
    flows
      .filter((e) => e.to === id && !seen.has(e.from))
      .flatMap((e) => {
        seen.add(e.from);
        const from = kind.get(e.from);
        return from === "bucket" ? [e.from] : from === "rule" || from === "queue" ? bucketsReaching(e.from, seen) : [];
      });
  const buckets = (id: string) => [...new Set(bucketsReaching(id))].sort();
  const reads: DiagramEdge[] = [];
  for (const fn of nodes.filter((n) => n.kind === "function"))
    for (const bucket of buckets(fn.id)) reads.push({ from: bucket, to: fn.id, kind: "reads", label: "reads the image", ranked: false });
  for (const request of flows.filter((e) => kind.get(e.from) === "function" && kind.get(e.to) === "queue")) {
    const consumers = flows.filter((e) => e.from === request.to && kind.get(e.to) === "function").map((e) => e.to);
    for (const bucket of buckets(request.from))
      for (const consumer of consumers) reads.push({ from: bucket, to: consumer, kind: "reads", label: "reads originals", ranked: false });
  }
  return reads;
}
