import { layoutOf } from "./clusters";
import type { Diagram, DiagramEdge, NodeKind } from "./graph";

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** Shape and fill of each kind of node. */
const LOOK: Readonly<Record<NodeKind, string>> = {
  bucket: 'shape=cylinder, fillcolor="#e8f5e9"',
  table: 'shape=cylinder, fillcolor="#e3f2fd"',
  function: 'shape=box, style="rounded,filled", fillcolor="#fff3e0"',
  queue: 'shape=box, fillcolor="#fce4ec"',
  topic: 'shape=hexagon, fillcolor="#f3e5f5"',
  rule: 'shape=cds, fillcolor="#fffde7"',
  key: 'shape=octagon, fillcolor="#eeeeee"',
  alarms: 'shape=note, fillcolor="#ffebee"',
  dashboard: 'shape=tab, fillcolor="#ffebee"',
  logs: 'shape=folder, fillcolor="#f5f5f5"',
  role: 'shape=component, fillcolor="#ede7f6"',
  external: 'shape=ellipse, fillcolor="#ffffff"',
};

const EDGE_LOOK: Readonly<Record<DiagramEdge["kind"], string>> = {
  flow: "",
  failure: ', style=dashed, color="#c62828", fontcolor="#c62828"',
  // The key's uses do not take part in the ranking: they would pull the key across the flow.
  encrypts: ', style=dotted, color="#9e9e9e", fontcolor="#757575", constraint=false',
};

/** The diagram in Graphviz's DOT language, left to right, clusters per module instance and concern. */
export function toDot(diagram: Diagram, title: string): string {
  const { ref, clusters } = layoutOf(diagram);
  const lines = [
    "digraph pipeline {",
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.5, labelloc=t, label=${quote(title)}];`,
    '  node [fontname="Helvetica", fontsize=10, style=filled, color="#546e7a", margin="0.12,0.06"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#37474f", arrowsize=0.7];',
  ];
  clusters.forEach((cluster, i) => {
    const indent = cluster.instance ? "    " : "  ";
    if (cluster.instance) lines.push(`  subgraph cluster_i${i} {`, `    label=${quote(cluster.instance)}; style=dashed; color="#90a4ae";`);
    cluster.concerns.forEach(({ concern, nodes }, j) => {
      lines.push(
        `${indent}subgraph cluster_i${i}c${j} {`,
        `${indent}  label=${quote(concern)}; style="rounded,filled"; fillcolor="#fafafa"; color="#cfd8dc";`,
      );
      for (const { ref: r, node } of nodes)
        lines.push(`${indent}  ${r} [label=${quote(node.name ? `${node.title}\n${node.name}` : node.title)}, ${LOOK[node.kind]}];`);
      lines.push(`${indent}}`);
    });
    if (cluster.instance) lines.push("  }");
  });
  for (const e of diagram.edges)
    lines.push(
      `  ${ref(e.from)} -> ${ref(e.to)} [label=${quote(e.kind === "encrypts" ? "" : e.label)}${EDGE_LOOK[e.kind]}${e.ranked === false ? ", constraint=false" : ""}];`,
    );
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
