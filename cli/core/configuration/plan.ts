import { CliError } from "../../errors";
import { type Configuration, type ConfiguredResource, META_ARGUMENTS, resourceId } from "./resource";

/** One module segment of an instance address: `module.images["blue"]` is `{ name: "images", key: '["blue"]' }`. */
interface Segment {
  readonly name: string;
  readonly key: string;
}

const SEGMENT = /module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?/g;
const segmentsOf = (address: string): Segment[] => [...address.matchAll(SEGMENT)].map(([, name, key]) => ({ name, key: key ?? "" }));
const addressOf = (segments: readonly Segment[]) => segments.map((s) => `module.${s.name}${s.key}`).join(".");

/** Which of the plan's two sides to read: what exists before it (`prior`), or after it is applied (`planned`). */
export type PlanSide = "prior" | "planned";

/**
 * A `terraform show -json <plan>`: the managed resources of one side of the plan, with each
 * argument's references read from the plan's configuration and followed through module variables
 * and outputs, so a child module's resource links to the parent's resource it is given.
 */
export function fromPlan(plan: any, side: PlanSide = "planned"): Configuration {
  if (!plan?.configuration || !("planned_values" in plan)) {
    throw new CliError("not a plan: give the output of `terraform show -json <plan file>`");
  }
  const root = side === "planned" ? plan.planned_values?.root_module : plan.prior_state?.values?.root_module;
  const planned: { module: string; type: string; name: string; index: unknown; values: any }[] = [];
  const visit = (module: any) => {
    for (const r of module?.resources ?? []) {
      if (r.mode === "managed")
        planned.push({ module: module.address ?? "", type: r.type, name: r.name, index: r.index, values: r.values ?? {} });
    }
    for (const child of module?.child_modules ?? []) visit(child);
  };
  visit(root);
  const idOf = (r: (typeof planned)[number]) =>
    resourceId(r.module, r.type, r.name) + (typeof r.index === "string" ? `[${JSON.stringify(r.index)}]` : "");
  const ids = planned.map(idOf);
  const instances = [...new Set(planned.map((r) => r.module))];
  const resolver = referenceResolver(plan.configuration.root_module, ids, instances);

  const resources: ConfiguredResource[] = planned.map((r, i) => {
    const config = resolver
      .configOf(segmentsOf(r.module))
      ?.resources?.find((c: any) => c.mode === "managed" && c.type === r.type && c.name === r.name);
    const refs: Record<string, string[]> = {};
    for (const [argument, expression] of Object.entries(config?.expressions ?? {})) {
      if (META_ARGUMENTS.has(argument)) continue;
      const targets = [...new Set(referencesIn(expression).flatMap((ref) => resolver.resolve(ref, segmentsOf(r.module))))].filter(
        (id) => id !== ids[i],
      );
      if (targets.length > 0) refs[argument] = targets.sort();
    }
    return { id: ids[i], type: r.type, name: r.name, module: r.module, values: r.values, refs };
  });
  return { resources, region: regionOf(plan) };
}

/** A reference inside a template: a resource, a variable or a module's output (`module.m[*].out` too). */
const TEMPLATE_REFERENCE =
  /(?<![\w.])(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+|var\.[A-Za-z0-9_-]+|module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.[A-Za-z0-9_-]+)/g;

/** The references inside the `${...}` templates of a value. */
function templateReferences(value: unknown): string[] {
  if (typeof value === "string")
    return (value.match(/\$\{[\s\S]*\}/g) ?? []).flatMap((t) => [...t.matchAll(TEMPLATE_REFERENCE)].map((m) => m[1]));
  if (Array.isArray(value)) return value.flatMap(templateReferences);
  return value && typeof value === "object" ? Object.values(value).flatMap(templateReferences) : [];
}

/**
 * Every reference in an expression, its nested blocks included: its `references` lists, and for a
 * configuration written in JSON (as cdktf writes it) the templates of its `constant_value`, where
 * Terraform lists no references for the values inside a map.
 */
function referencesIn(expression: unknown): string[] {
  if (Array.isArray(expression)) return expression.flatMap(referencesIn);
  if (!expression || typeof expression !== "object") return [];
  const own = Array.isArray((expression as any).references) ? ((expression as any).references as string[]) : [];
  const templates = "constant_value" in expression ? templateReferences((expression as any).constant_value) : [];
  const nested = Object.entries(expression)
    .filter(([key]) => key !== "references" && key !== "constant_value")
    .flatMap(([, value]) => referencesIn(value));
  return [...own, ...templates, ...nested];
}

/** Follows a reference to the resources it ends at: in the same module, up through a variable, or down through an output. */
function referenceResolver(rootConfig: any, ids: readonly string[], instances: readonly string[]) {
  const configOf = (segments: readonly Segment[]) => segments.reduce((config, s) => config?.module_calls?.[s.name]?.module, rootConfig);
  const resolve = (reference: string, segments: readonly Segment[], depth = 0): string[] => {
    if (depth > 20) return [];
    const [head, second, third] = reference.split(".");
    const name = second?.replace(/\[.*$/, "");
    if (head.startsWith("aws_") && name) {
      const base = resourceId(addressOf(segments), head, name);
      return ids.filter((id) => id === base || id.startsWith(`${base}[`));
    }
    if (head === "var" && name && segments.length > 0) {
      const parent = segments.slice(0, -1);
      const call = configOf(parent)?.module_calls?.[segments.at(-1)!.name];
      return referencesIn(call?.expressions?.[name]).flatMap((ref) => resolve(ref, parent, depth + 1));
    }
    if (head === "module" && name && third) {
      const output = configOf([...segments, { name, key: "" }])?.outputs?.[third];
      const prefix = addressOf([...segments, { name, key: "" }]);
      const children = instances
        .filter((m) => m === prefix || m.startsWith(`${prefix}[`))
        .map(segmentsOf)
        .filter((s) => s.length === segments.length + 1);
      return children.flatMap((child) => referencesIn(output?.expression).flatMap((ref) => resolve(ref, child, depth + 1)));
    }
    return [];
  };
  return { configOf, resolve };
}

/** The AWS provider's region: a literal, or the root variable it is given. */
function regionOf(plan: any): string | undefined {
  const expression = plan.configuration?.provider_config?.aws?.expressions?.region;
  if (typeof expression?.constant_value === "string") return expression.constant_value;
  const variable = (expression?.references ?? []).find((r: string) => r.startsWith("var."))?.slice(4);
  const value = variable ? plan.variables?.[variable]?.value : undefined;
  return typeof value === "string" ? value : undefined;
}
