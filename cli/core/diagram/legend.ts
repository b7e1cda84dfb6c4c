import type { Diagram, NodeKind } from "./graph";
import { PLAN_ACTIONS } from "./graph";
import { ACTION_LOOK, EDGE_LOOK, FONT, NODE_LOOK, SIZE, actionAttributes, quote } from "./look";

/** How many samples the legend puts in a row, so it stays narrower than the picture above it. */
const PER_ROW = 4;

const rowsOf = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / PER_ROW) }, (_, i) => items.slice(i * PER_ROW, (i + 1) * PER_ROW));

/**
 * The legend drawn under the picture, in DOT: a sample of each kind of node the picture has, each
 * kind of edge it has, and, for a plan, each action the plan takes; rows top to bottom.
 */
export function legendDot(diagram: Diagram): string {
  const lines = [
    "digraph legend {",
    `  graph [rankdir=TB, fontname="${FONT}", fontsize=${SIZE.cluster}, nodesep=0.2, ranksep=0.25];`,
    // Samples of one width, so the rows line up in columns.
    `  node [fontname="${FONT}", fontsize=${SIZE.node}, style=filled, color="#546e7a", margin="0.14,0.05", width=2.5];`,
    `  edge [fontname="${FONT}", fontsize=${SIZE.edge}, arrowsize=0.8];`,
    "  subgraph cluster_legend {",
    `    label="Legend"; labeljust=l; style=rounded; color="#b0bec5";`,
  ];
  const rows: string[][] = [];
  const kinds = (Object.keys(NODE_LOOK) as NodeKind[]).filter((kind) => diagram.nodes.some((n) => n.kind === kind));
  rowsOf(kinds).forEach((row) => {
    rows.push(row.map((kind) => `kind_${kind}`));
    for (const kind of row) lines.push(`    kind_${kind} [label=${quote(NODE_LOOK[kind].legend)}, ${NODE_LOOK[kind].attributes}];`);
  });
  const edgeKinds = (Object.keys(EDGE_LOOK) as (keyof typeof EDGE_LOOK)[]).filter((kind) => diagram.edges.some((e) => e.kind === kind));
  const edgeRow: string[] = [];
  for (const kind of edgeKinds) {
    lines.push(
      `    edge_${kind}_from [shape=point, width=0.06, color="#78909c"];`,
      `    edge_${kind}_to [shape=point, width=0.06, color="#78909c"];`,
      `    edge_${kind}_from -> edge_${kind}_to [label=${quote(EDGE_LOOK[kind].legend)}, ${EDGE_LOOK[kind].attributes}, minlen=3];`,
    );
    edgeRow.push(`edge_${kind}_from`, `edge_${kind}_to`);
  }
  if (edgeRow.length > 0) rows.push(edgeRow);
  const actions = PLAN_ACTIONS.filter((action) => diagram.nodes.some((n) => n.action === action));
  rowsOf(actions).forEach((row) => {
    rows.push(row.map((action) => `action_${action}`));
    for (const action of row) {
      const { symbol, legend } = ACTION_LOOK[action];
      lines.push(
        `    action_${action} [label=${quote(`${symbol} ${legend} by the plan`)}, shape=box, fillcolor="#ffffff"${actionAttributes(action, "queue")}];`,
      );
    }
  });
  for (const row of rows) lines.push(`    { rank=same; ${row.join("; ")}; }`);
  // Each row under the one before it.
  for (let i = 1; i < rows.length; i++) lines.push(`    ${rows[i - 1][0]} -> ${rows[i][0]} [style=invis];`);
  lines.push("  }", "}");
  return `${lines.join("\n")}\n`;
}
