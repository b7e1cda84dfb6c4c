/** A Mermaid flowchart as `image-pipeline diagram --format mermaid` writes it, read back: its nodes (with the subgraphs around them) and edges. */
export interface ParsedFlowchart {
  readonly nodes: { ref: string; label: string; groups: string[] }[];
  readonly edges: { from: string; to: string; label: string; dashed: boolean }[];
}

const unescaped = (s: string) =>
  s
    .replace(/#quot;/g, '"')
    .replace(/#lt;/g, "<")
    .replace(/#gt;/g, ">")
    .replace(/<br\/>/g, "\n");

export function parseFlowchart(text: string): ParsedFlowchart {
  const nodes: ParsedFlowchart["nodes"] = [];
  const edges: ParsedFlowchart["edges"] = [];
  const groups: string[] = [];
  for (const line of text.split("\n").map((l) => l.trim())) {
    const subgraph = line.match(/^subgraph \w+\["(.*)"\]$/);
    const node = line.match(/^(n\d+)[[({>]+"(.*)"[\])}]+$/);
    const edge = line.match(/^(n\d+) (-->|-\.->)\|"(.*)"\| (n\d+)$/);
    if (subgraph) groups.push(unescaped(subgraph[1]));
    else if (line === "end") groups.pop();
    else if (edge) edges.push({ from: edge[1], to: edge[4], label: unescaped(edge[3]), dashed: edge[2] === "-.->" });
    else if (node) nodes.push({ ref: node[1], label: unescaped(node[2]), groups: [...groups] });
  }
  return { nodes, edges };
}

/** The labels of the nodes an edge joins, `from → to: label`, for assertions that read as the diagram does. */
export function edgeList(chart: ParsedFlowchart): string[] {
  const label = (ref: string) => chart.nodes.find((n) => n.ref === ref)!.label.replace(/\n/g, " ");
  return chart.edges.map((e) => `${label(e.from)} ${e.dashed ? "⇢" : "→"} ${label(e.to)}: ${e.label}`);
}

/** The node whose label matches, failing when not exactly one does. */
export function nodeLabelled(chart: ParsedFlowchart, pattern: RegExp): ParsedFlowchart["nodes"][number] {
  const found = chart.nodes.filter((n) => pattern.test(n.label));
  if (found.length !== 1) throw new Error(`expected one node labelled ${pattern}, found ${found.length}`);
  return found[0];
}
