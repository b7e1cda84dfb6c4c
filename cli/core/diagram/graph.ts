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
}

/** How data moves along an edge: the ordinary way, on failure, or a key's use. */
export type EdgeKind = "flow" | "failure" | "encrypts";

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label: string;
  /** False for an edge that must not pull its ends into the flow's ranks (a read beside the flow). */
  readonly ranked?: false;
}

/** Edges' stable order: by source, target and kind. */
export const byEdgeOrder = (a: DiagramEdge, b: DiagramEdge) => `${a.from} ${a.to} ${a.kind}`.localeCompare(`${b.from} ${b.to} ${b.kind}`);

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

/** The top-level module instance of a module path: `module.a["x"].module.b[0]` is `module.a["x"]`. */
export const topInstance = (module: string) => module.match(/^module\.[A-Za-z0-9_-]+(\[[^\]]*\])?/)?.[0] ?? "";
