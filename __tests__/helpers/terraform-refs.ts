/**
 * Replaces `${type.name.attribute}` and `${data.type.name.attribute}` references in a
 * synthesized value with what Terraform would give them, using `known` for computed
 * attributes (ids, ARNs) and the referenced block's own literal attribute otherwise.
 */
export function resolveReferences(
  value: string,
  tf: { resource: Record<string, Record<string, any>>; data: Record<string, Record<string, any>>; locals?: Record<string, string> },
  known: (type: string, attribute: string, block: any) => string | undefined,
): string {
  // The only local is the region, read portably from `data.aws_region` (constructs/support/aws-context.ts).
  value = value.replace(/\$\{local\.(\w+)\}/g, (reference, name) => {
    const expression = tf.locals?.[name];
    if (!expression || !/data\.aws_region\./.test(expression)) throw new Error(`${reference} is not the region`);
    const resolved = known("aws_region", "region", {});
    if (resolved === undefined) throw new Error(`no value for ${reference}`);
    return resolved;
  });
  return value.replace(/\$\{(data\.)?(\w+)\.(\w+)\.(\w+)\}/g, (reference, data, type, name, attribute) => {
    const block = (data ? tf.data : tf.resource)[type]?.[name];
    if (!block) throw new Error(`${reference} points at nothing`);
    const resolved = known(type, attribute, block) ?? (typeof block[attribute] === "string" ? block[attribute] : undefined);
    if (resolved === undefined) throw new Error(`no value for ${reference}`);
    return resolved;
  });
}
