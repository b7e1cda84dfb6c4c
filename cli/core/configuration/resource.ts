/**
 * A resource as `diagram` and `cost` read it, whichever form it came in (a synthesized stack or a
 * `terraform show -json` plan): its address, its arguments as far as they are known, and, for each
 * top-level argument, the resources that argument refers to.
 */
export interface ConfiguredResource {
  /** The address without a count index: `aws_sqs_queue.events`, `module.images["blue"].aws_s3_bucket.images`. */
  readonly id: string;
  readonly type: string;
  /** The resource's name in its module (`images` in `aws_s3_bucket.images`). */
  readonly name: string;
  /** The module instance it belongs to (`module.images["blue"]`); "" at the root. */
  readonly module: string;
  /** Its arguments: literal ones, and in a plan every value known before apply. */
  readonly values: Readonly<Record<string, any>>;
  /** The ids each top-level argument refers to, directly or through module variables and outputs. */
  readonly refs: Readonly<Record<string, readonly string[]>>;
}

/** What a configuration holds: its resources and the region its provider is given, where literal. */
export interface Configuration {
  readonly resources: readonly ConfiguredResource[];
  readonly region?: string;
}

/** The Terraform address of a module instance's resource, the module path first. */
export const resourceId = (module: string, type: string, name: string) => (module ? `${module}.${type}.${name}` : `${type}.${name}`);

/** Arguments that are Terraform's meta-arguments, not the resource's own: no data flows through them. */
export const META_ARGUMENTS = new Set(["//", "count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);

/** The resources of a type, in a stable order. */
export const ofType = (configuration: Configuration, type: string) =>
  configuration.resources.filter((r) => r.type === type).sort((a, b) => a.id.localeCompare(b.id));

/** The ids one argument of a resource refers to, restricted to a type when given. */
export function referencedBy(resource: ConfiguredResource, argument: string, type?: string): string[] {
  const ids = resource.refs[argument] ?? [];
  return type ? ids.filter((id) => id.split(".").at(-2) === type) : [...ids];
}

/** Every id any argument of a resource refers to. */
export const allReferences = (resource: ConfiguredResource) => [...new Set(Object.values(resource.refs).flat())].sort();
