import { fromPlan } from "../configuration/plan";
import { type Configuration, type ConfiguredResource, referencedBy, resourceId } from "../configuration/resource";
import { parentArgument } from "./edges";
import { type DiagramNode, type PlanAction, topInstance } from "./graph";
import { alarmsId } from "./nodes";

/** What Terraform's `actions` list of one resource change means for the picture; nothing for no-op and read. */
function actionOf(actions: readonly string[]): PlanAction | undefined {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  if (actions.includes("create")) return "create";
  if (actions.includes("delete")) return "destroy";
  return actions.includes("update") ? "update" : undefined;
}

/** Several changes that one node stands for: one action when they agree, else the node changes. */
const together = (a: PlanAction | undefined, b: PlanAction | undefined): PlanAction | undefined =>
  a === undefined ? b : b === undefined || a === b ? a : "update";

/** What a `terraform show -json` plan does to each resource, by the ids of cli/core/configuration (count indexes folded). */
export function planActions(plan: any): Map<string, PlanAction> {
  const actions = new Map<string, PlanAction>();
  for (const change of plan?.resource_changes ?? []) {
    if (change.mode !== "managed") continue;
    const action = actionOf(change.change?.actions ?? []);
    if (!action) continue;
    const id =
      resourceId(change.module_address ?? "", change.type, change.name) +
      (typeof change.index === "string" ? `[${JSON.stringify(change.index)}]` : "");
    actions.set(id, actions.has(id) ? together(actions.get(id), action)! : action);
  }
  return actions;
}

/** Both sides of a plan in one configuration: what exists after it is applied, and what it destroys. */
export function planConfiguration(plan: any): Configuration {
  const planned = fromPlan(plan, "planned");
  const kept = new Set(planned.resources.map((r) => r.id));
  const destroyed: ConfiguredResource[] = fromPlan(plan, "prior").resources.filter((r) => !kept.has(r.id));
  return { ...planned, resources: [...planned.resources, ...destroyed] };
}

/**
 * The nodes with what the plan does to them: a resource's own action; for the alarms together,
 * what is done to all of them; and a node whose parts alone change (a bucket's policy, a queue's
 * redrive policy, one alarm of several) is changed.
 */
export function markedNodes(
  nodes: readonly DiagramNode[],
  configuration: Configuration,
  actions: ReadonlyMap<string, PlanAction>,
): DiagramNode[] {
  const drawn = new Set(nodes.map((n) => n.id));
  const own = new Map<string, PlanAction>();
  /** The actions on the alarms of each instance, "unchanged" for an alarm the plan leaves alone. */
  const alarms = new Map<string, Set<PlanAction | "unchanged">>();
  const partsChanged = new Set<string>();
  for (const resource of configuration.resources) {
    const action = actions.get(resource.id);
    if (drawn.has(resource.id)) {
      if (action) own.set(resource.id, action);
    } else if (resource.type === "aws_cloudwatch_metric_alarm") {
      const id = alarmsId(topInstance(resource.module));
      alarms.set(id, (alarms.get(id) ?? new Set()).add(action ?? "unchanged"));
    } else if (action) {
      const argument = parentArgument(resource.type);
      for (const parent of argument ? referencedBy(resource, argument).filter((id) => drawn.has(id)) : []) partsChanged.add(parent);
    }
  }
  const actionOfNode = (id: string): PlanAction | undefined => {
    const onAlarms = [...(alarms.get(id) ?? [])];
    if (onAlarms.length > 0)
      return onAlarms.length === 1 && onAlarms[0] !== "unchanged" ? onAlarms[0] : onAlarms.length > 1 ? "update" : undefined;
    return own.get(id) ?? (partsChanged.has(id) ? "update" : undefined);
  };
  return nodes.map((n) => {
    const action = actionOfNode(n.id);
    return action ? { ...n, action } : n;
  });
}
