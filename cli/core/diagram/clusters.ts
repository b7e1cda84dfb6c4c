import { CONCERNS, type Diagram, type DiagramNode } from "./graph";

/** A drawn cluster: one module instance ("" for the root), and inside it one group per concern. */
export interface Cluster {
  readonly instance: string;
  readonly concerns: readonly {
    readonly concern: string;
    readonly nodes: readonly { readonly ref: string; readonly node: DiagramNode }[];
  }[];
}

/**
 * The short ids a renderer names the nodes by (`n0`, `n1`, ... in the diagram's order, so the
 * output is the same for the same configuration), and the clusters they are drawn in.
 */
export function layoutOf(diagram: Diagram): { ref: (id: string) => string; clusters: Cluster[] } {
  const refs = new Map(diagram.nodes.map((n, i) => [n.id, `n${i}`]));
  const instances = [...new Set(diagram.nodes.map((n) => n.instance))];
  const clusters = instances.map((instance) => ({
    instance,
    concerns: CONCERNS.map((concern) => ({
      concern,
      nodes: diagram.nodes
        .filter((n) => n.instance === instance && n.concern === concern)
        .map((node) => ({ ref: refs.get(node.id)!, node })),
    })).filter((c) => c.nodes.length > 0),
  }));
  return { ref: (id) => refs.get(id)!, clusters };
}
