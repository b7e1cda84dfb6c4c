import type { Configuration } from "../configuration/resource";
import { type Diagram, type PlanAction, CONCERNS, byEdgeOrder } from "./graph";
import { diagramEdges } from "./edges";
import { diagramNodes } from "./nodes";
import { markedNodes } from "./plan-marks";
import { readsOfOriginals } from "./reads-originals";

/**
 * What a configuration creates and how data flows between it, in a stable order (by concern, then
 * id); with a plan's actions, each node marked with what the plan does to it.
 */
export function architectureOf(configuration: Configuration, actions?: ReadonlyMap<string, PlanAction>): Diagram {
  const nodes = diagramNodes(configuration);
  const { edges, nodes: revealed } = diagramEdges(configuration, nodes);
  const sorted = [...nodes, ...revealed].sort(
    (a, b) => a.instance.localeCompare(b.instance) || CONCERNS.indexOf(a.concern) - CONCERNS.indexOf(b.concern) || a.id.localeCompare(b.id),
  );
  const all = actions ? markedNodes(sorted, configuration, actions) : sorted;
  const present = new Set(all.map((n) => n.id));
  const drawn = edges.filter((e) => present.has(e.from) && present.has(e.to));
  return {
    nodes: all,
    edges: [...drawn, ...readsOfOriginals(all, drawn)].sort(byEdgeOrder),
    ...(configuration.region ? { region: configuration.region } : {}),
  };
}
