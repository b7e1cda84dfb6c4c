import type { DiagramEdge, DiagramNode } from "./graph";

/**
 * The reads no resource argument shows: a function that takes requests from a queue another
 * function feeds (the derivatives function, fed by the processor) reads the originals from the
 * buckets whose events reach that other function, since each request names a bucket and key and
 * the read is granted through IAM only. A bucket's events reach a function directly (a
 * notification) or through rules and queues. The read is drawn beside the flow, not ranking its
 * ends: the function stays downstream of the queue that feeds it.
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
  const reads: DiagramEdge[] = [];
  for (const request of flows.filter((e) => kind.get(e.from) === "function" && kind.get(e.to) === "queue")) {
    const consumers = flows.filter((e) => e.from === request.to && kind.get(e.to) === "function").map((e) => e.to);
    for (const bucket of [...new Set(bucketsReaching(request.from))].sort())
      for (const consumer of consumers) reads.push({ from: bucket, to: consumer, kind: "flow", label: "reads originals", ranked: false });
  }
  return reads;
}
