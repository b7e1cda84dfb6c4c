import type { EdgeKind, NodeKind, PlanAction } from "./graph";

/**
 * How the SVG looks, in one place for the picture and its legend. Text is set in Verdana, whose
 * glyphs are the widest of the common sans-serif fonts: Graphviz sizes each shape for Verdana's
 * widths, so a viewer that falls back to another font (DejaVu Sans, Helvetica, Arial) fits the
 * label inside the shape with room to spare.
 */
export const FONT = "Verdana";
export const FONT_STACK = "Verdana,DejaVu Sans,Bitstream Vera Sans,sans-serif";

/**
 * Font sizes in points, chosen with the pictures' widths so that text shown 1,000 px wide is at
 * least 10 px tall (docs/diagrams; a test measures every committed picture).
 */
export const SIZE = { title: 16, cluster: 13, node: 12, edge: 12 } as const;

/** Shape and fill of each kind of node, and what the legend calls it. */
export const NODE_LOOK: Readonly<Record<NodeKind, { attributes: string; legend: string }>> = {
  bucket: { attributes: 'shape=cylinder, fillcolor="#e8f5e9"', legend: "S3 bucket" },
  table: { attributes: 'shape=cylinder, fillcolor="#e3f2fd"', legend: "DynamoDB table" },
  function: { attributes: 'shape=box, style="rounded,filled", fillcolor="#fff3e0"', legend: "Lambda function" },
  queue: { attributes: 'shape=box, fillcolor="#fce4ec"', legend: "SQS queue" },
  topic: { attributes: 'shape=box, peripheries=2, fillcolor="#f3e5f5"', legend: "SNS topic" },
  rule: { attributes: 'shape=cds, fillcolor="#fffde7"', legend: "EventBridge rule" },
  key: { attributes: 'shape=box, style="filled,diagonals", fillcolor="#eeeeee"', legend: "KMS key, what it encrypts" },
  alarms: { attributes: 'shape=note, fillcolor="#ffebee"', legend: "CloudWatch alarms" },
  dashboard: { attributes: 'shape=tab, fillcolor="#ffebee"', legend: "CloudWatch dashboard" },
  logs: { attributes: 'shape=folder, fillcolor="#f5f5f5"', legend: "CloudWatch log group" },
  role: { attributes: 'shape=component, fillcolor="#ede7f6"', legend: "IAM role" },
  external: { attributes: 'shape=ellipse, fillcolor="#ffffff"', legend: "outside the account" },
};

/** The colour of a read, in the SVG and in Mermaid. */
export const READ_COLOR = "#1565c0";

/** The line of each kind of edge, and what the legend calls it. The key's uses are listed in the key's node, not drawn. */
export const EDGE_LOOK: Readonly<Record<Exclude<EdgeKind, "encrypts">, { attributes: string; legend: string }>> = {
  flow: { attributes: 'color="#37474f"', legend: "events, requests, writes" },
  reads: { attributes: `color="${READ_COLOR}", fontcolor="${READ_COLOR}", penwidth=1.4`, legend: "a function reads" },
  failure: { attributes: 'style=dashed, color="#c62828", fontcolor="#c62828"', legend: "where failures go" },
};

/** How a plan's action marks a node: a thick border in the action's colour, and Terraform's symbol before its title. */
export const ACTION_LOOK: Readonly<Record<PlanAction, { color: string; symbol: string; legend: string; dashed?: true }>> = {
  create: { color: "#2e7d32", symbol: "+", legend: "created" },
  update: { color: "#ef6c00", symbol: "~", legend: "changed in place" },
  replace: { color: "#6a1b9a", symbol: "-/+", legend: "replaced" },
  destroy: { color: "#c62828", symbol: "-", legend: "destroyed", dashed: true },
};

/** A DOT string literal. */
export const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** Text for Graphviz's HTML-like labels. */
export const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A label broken at spaces into as few lines as keep each about `width` characters, its longest
 * line as short as the words allow, so a long edge label does not widen the picture.
 */
export function wrapped(label: string, width = 20): string {
  const words = label.split(" ");
  const count = Math.min(words.length, Math.ceil(label.length / width));
  /** The words split into `lines` lines with the shortest longest line. */
  const best = (from: number, lines: number): string[] => {
    if (lines === 1) return [words.slice(from).join(" ")];
    let chosen: string[] = [];
    for (let end = from + 1; end <= words.length - lines + 1; end++) {
      const candidate = [words.slice(from, end).join(" "), ...best(end, lines - 1)];
      const longest = (ls: string[]) => Math.max(...ls.map((l) => l.length));
      if (chosen.length === 0 || longest(candidate) < longest(chosen)) chosen = candidate;
    }
    return chosen;
  };
  return best(0, count).join("\n");
}

/** The attributes a node's plan action adds, after its kind's. */
export function actionAttributes(action: PlanAction | undefined, kind: NodeKind): string {
  if (!action) return "";
  const look = ACTION_LOOK[action];
  const base = NODE_LOOK[kind].attributes.match(/style="([^"]*)"/)?.[1] ?? "filled";
  const style = look.dashed ? `${base},dashed` : base;
  return `, color="${look.color}", penwidth=3, style="${style}"`;
}
