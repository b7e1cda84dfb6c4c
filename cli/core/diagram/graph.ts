/** What a node stands for, which decides its shape. */
export type NodeKind =
  | "bucket"
  | "function"
  | "queue"
  | "topic"
  | "table"
  | "key"
  | "rule"
  | "alarms"
  | "dashboard"
  | "logs"
  | "role"
  | "external";

/** The concerns the diagram groups its nodes by, in the order they are drawn. */
export const CONCERNS = [
  "Uploads",
  "Storage",
  "Events",
  "Processing",
  "Metadata",
  "Notifications",
  "Derivatives",
  "Backfill",
  "Monitoring",
  "Encryption",
] as const;
export type Concern = (typeof CONCERNS)[number];

export interface DiagramNode {
  /** The resource's address, or for a node that is no resource (uploads, alarms together, a subscriber) one made from it. */
  readonly id: string;
  readonly kind: NodeKind;
  /** First line: what it is ("S3 bucket"); second: its name as deployed. */
  readonly title: string;
  readonly name?: string;
  readonly concern: Concern;
  /** The top-level module instance it belongs to ("" at the root): one cluster per instance. */
  readonly instance: string;
  /** What a plan does to it; absent for a synthesized stack and for what a plan leaves alone. */
  readonly action?: PlanAction;
}

/** What a plan does to a resource, as `terraform plan` says it: `+`, `~`, `-/+`, `-`. */
export type PlanAction = "create" | "update" | "replace" | "destroy";
export const PLAN_ACTIONS: readonly PlanAction[] = ["create", "update", "replace", "destroy"];

/** How data moves along an edge: the ordinary way, a read the function makes, on failure, or a key's use. */
export type EdgeKind = "flow" | "reads" | "failure" | "encrypts";

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label: string;
  /**
   * How the edge ranks its ends (by default its source above its target): false, not at all (a read
   * beside the flow); "upward", its source under its target (a backfill, entering the flow from beside it).
   */
  readonly ranked?: false | "upward";
}

/** Edges' stable order: by source, target and kind. */
export const byEdgeOrder = (a: DiagramEdge, b: DiagramEdge) => `${a.from} ${a.to} ${a.kind}`.localeCompare(`${b.from} ${b.to} ${b.kind}`);

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** The region the provider is given, where literal. */
  readonly region?: string;
}

/** Nodes outside the account and region: where uploads come from, a topic's subscribers. */
export const outsideTheAccount = (node: DiagramNode) => node.kind === "external";

/** The top-level module instance of a module path: `module.a["x"].module.b[0]` is `module.a["x"]`. */
export const topInstance = (module: string) => module.match(/^module\.[A-Za-z0-9_-]+(\[[^\]]*\])?/)?.[0] ?? "";

/** The names of what a key encrypts, as drawn on their nodes, sorted: the key's node lists them instead of an edge to each. */
export function keyUses(diagram: Diagram, keyId: string): string[] {
  const names = diagram.edges
    .filter((e) => e.kind === "encrypts" && e.from === keyId)
    .map((e) => diagram.nodes.find((n) => n.id === e.to))
    .map((n) => n?.name ?? n?.title ?? "");
  return [...new Set(names)].sort();
}
