import { CliError } from "../../errors";
import { type Configuration, type ConfiguredResource, META_ARGUMENTS, resourceId } from "./resource";

/** `${...}` tokens' resource references: `aws_x.name`, never `data.aws_x.name` or `var.x`. */
const REFERENCE = /(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/** The references inside the interpolations of a JSON value. */
function referencesIn(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === "string") {
      for (const token of v.match(/\$\{[\s\S]*\}/g) ?? [])
        for (const [, type, name] of token.matchAll(REFERENCE)) found.add(`${type}.${name}`);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found];
}

/**
 * A synthesized stack (`cdk.tf.json`): its resources as written, a literal `count` of 0 left out.
 * The module's own configuration is refused: what it creates depends on the variables a root
 * gives it, which only a plan of that root knows.
 */
export function fromSynthesized(tf: any): Configuration {
  if (!tf || typeof tf.resource !== "object") throw new CliError("not a synthesized stack: it has no resource block");
  if (tf.variable && Object.keys(tf.variable).length > 0 && !tf.provider) {
    throw new CliError(
      "this is the Terraform module itself, whose resources depend on the variables its caller sets: plan a root that uses it and give `terraform show -json <plan>` with --plan",
    );
  }
  const entries = Object.entries(tf.resource as Record<string, Record<string, any>>).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, values]) => ({ type, name, values })),
  );
  const present = entries.filter(({ values }) => values.count !== 0 && values.count !== "0");
  const ids = new Set(present.map(({ type, name }) => resourceId("", type, name)));
  const resources: ConfiguredResource[] = present.map(({ type, name, values }) => {
    const refs: Record<string, string[]> = {};
    for (const [argument, value] of Object.entries(values)) {
      if (META_ARGUMENTS.has(argument)) continue;
      const targets = referencesIn(value).filter((id) => ids.has(id));
      if (targets.length > 0) refs[argument] = targets.sort();
    }
    return { id: resourceId("", type, name), type, name, module: "", values, refs };
  });
  const region = [tf.provider?.aws ?? []].flat().find((p: any) => !p.alias)?.region;
  return { resources, region: typeof region === "string" && !region.includes("${") ? region : undefined };
}
