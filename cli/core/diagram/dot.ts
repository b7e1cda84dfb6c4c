import { layoutOf } from "./clusters";
import { type Concern, type Diagram, type DiagramNode, keyUses, outsideTheAccount } from "./graph";
import { EDGE_LOOK, FONT, NODE_LOOK, SIZE, actionAttributes, ACTION_LOOK, html, quote, wrapped } from "./look";

/** A node's label: its title (after the plan's symbol, when a plan acts on it) and its name. */
function labelOf(node: DiagramNode): string {
  const title = node.action ? `${ACTION_LOOK[node.action].symbol} ${node.title}` : node.title;
  return quote(node.name ? `${title}\n${node.name}` : title);
}

/**
 * The key as a panel listing what it encrypts, by the names drawn elsewhere in the picture: one
 * line each, instead of an edge to each that would cross the whole flow.
 */
function keyLabel(key: DiagramNode, diagram: Diagram): string {
  const names = keyUses(diagram, key.id);
  const title = key.action ? `${ACTION_LOOK[key.action].symbol} ${key.title}` : key.title;
  const rows = [title, ...(key.name ? [key.name] : [])].map((line) => `<TR><TD>${html(line)}</TD></TR>`);
  if (names.length > 0) {
    rows.push(`<TR><TD ALIGN="LEFT"><I>encrypts</I></TD></TR>`);
    for (const name of names) rows.push(`<TR><TD ALIGN="LEFT">• ${html(name)}</TD></TR>`);
  }
  return `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">${rows.join("")}</TABLE>>`;
}

/** One node's statement. */
function nodeStatement(ref: string, node: DiagramNode, diagram: Diagram): string {
  const label = node.kind === "key" ? keyLabel(node, diagram) : labelOf(node);
  return `${ref} [label=${label}, ${NODE_LOOK[node.kind].attributes}${actionAttributes(node.action, node.kind)}];`;
}

/**
 * Pairs of nodes to draw one under the other: the leaves a node feeds (nodes that feed nothing
 * further, a log group, a dead-letter queue) in the same cluster, which would otherwise stand side by
 * side on one rank and make the picture wide.
 */
function stackedLeaves(diagram: Diagram): [string, string][] {
  const ranked = diagram.edges.filter((e) => e.kind !== "encrypts" && e.ranked !== false);
  const isLeaf = (id: string) => !ranked.some((e) => e.from === id);
  const node = new Map(diagram.nodes.map((n) => [n.id, n]));
  const pairs: [string, string][] = [];
  for (const parent of diagram.nodes) {
    const leaves = [...new Set(ranked.filter((e) => e.from === parent.id && isLeaf(e.to)).map((e) => e.to))];
    const groups = new Map<string, string[]>();
    for (const leaf of leaves) {
      const { instance, concern } = node.get(leaf)!;
      groups.set(`${instance} ${concern}`, [...(groups.get(`${instance} ${concern}`) ?? []), leaf]);
    }
    for (const group of groups.values()) for (let i = 1; i < group.length; i++) pairs.push([group[i - 1], group[i]]);
  }
  return pairs;
}

/** Concerns that watch or protect the flow rather than take part in it: drawn in a row under it. */
const BESIDE_THE_FLOW: readonly Concern[] = ["Monitoring", "Encryption"];

/**
 * Pairs that put the monitoring and the key under the flow's last rank, where they widen no row of
 * the flow: from each node that feeds nothing to each of theirs. Their own edges (the alarms'
 * actions) are not ranked, so they do not pull them back up.
 */
function besideTheFlowLast(diagram: Diagram): [string, string][] {
  const ranked = diagram.edges.filter((e) => e.kind !== "encrypts" && e.ranked !== false && !isBesideTheFlow(diagram, e.from));
  const side = diagram.nodes.filter((n) => BESIDE_THE_FLOW.includes(n.concern)).map((n) => n.id);
  const sinks = diagram.nodes.filter((n) => !BESIDE_THE_FLOW.includes(n.concern) && !ranked.some((e) => e.from === n.id));
  return sinks.flatMap((sink) => side.map((id): [string, string] => [sink.id, id]));
}

const isBesideTheFlow = (diagram: Diagram, id: string) => BESIDE_THE_FLOW.includes(diagram.nodes.find((n) => n.id === id)!.concern);

/** The boundary drawn around what lives in the account: its region, when the configuration gives it literally. */
export const accountLabel = (region: string | undefined) => `AWS account · region ${region ?? "(the provider's)"}`;

/**
 * The diagram in Graphviz's DOT language, top to bottom (the flow's stages stack, so the picture
 * stays narrow): what lives in the account inside its boundary, clusters per module instance and
 * concern inside that, uploads and subscribers outside.
 */
export function toDot(diagram: Diagram, title: string): string {
  const { ref, clusters } = layoutOf(diagram);
  const lines = [
    "digraph pipeline {",
    `  graph [rankdir=TB, fontname="${FONT}", fontsize=${SIZE.title}, nodesep=0.25, ranksep=0.5, labelloc=t, label=${quote(title)}];`,
    `  node [fontname="${FONT}", fontsize=${SIZE.node}, style=filled, color="#546e7a", margin="0.14,0.07"];`,
    `  edge [fontname="${FONT}", fontsize=${SIZE.edge}, arrowsize=0.8];`,
  ];
  for (const node of diagram.nodes.filter(outsideTheAccount)) lines.push(`  ${nodeStatement(ref(node.id), node, diagram)}`);
  lines.push(
    "  subgraph cluster_account {",
    `    label=${quote(accountLabel(diagram.region))}; fontsize=${SIZE.cluster}; style="rounded,dashed"; color="#ff9900"; penwidth=1.5;`,
  );
  clusters.forEach((cluster, i) => {
    const indent = cluster.instance ? "      " : "    ";
    if (cluster.instance)
      lines.push(`    subgraph cluster_i${i} {`, `      label=${quote(cluster.instance)}; style=dashed; color="#90a4ae";`);
    cluster.concerns.forEach(({ concern, nodes }, j) => {
      const inside = nodes.filter(({ node }) => !outsideTheAccount(node));
      if (inside.length === 0) return;
      lines.push(
        `${indent}subgraph cluster_i${i}c${j} {`,
        `${indent}  label=${quote(concern)}; fontsize=${SIZE.cluster}; style="rounded,filled"; fillcolor="#fafafa"; color="#cfd8dc";`,
      );
      for (const { ref: r, node } of inside) lines.push(`${indent}  ${nodeStatement(r, node, diagram)}`);
      lines.push(`${indent}}`);
    });
    if (cluster.instance) lines.push("    }");
  });
  lines.push("  }");
  lines.push(...[...stackedLeaves(diagram), ...besideTheFlowLast(diagram)].map(([a, b]) => `  ${ref(a)} -> ${ref(b)} [style=invis];`));
  for (const e of diagram.edges) {
    if (e.kind === "encrypts") continue;
    const attributes = `label=${quote(wrapped(e.label))}, ${EDGE_LOOK[e.kind].attributes}`;
    // An upward edge is written from its target, so Graphviz ranks the target first, and drawn with its arrow back.
    if (e.ranked === "upward") lines.push(`  ${ref(e.to)} -> ${ref(e.from)} [${attributes}, dir=back];`);
    else {
      const unranked = e.ranked === false || isBesideTheFlow(diagram, e.from) ? ", constraint=false" : "";
      lines.push(`  ${ref(e.from)} -> ${ref(e.to)} [${attributes}${unranked}];`);
    }
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
