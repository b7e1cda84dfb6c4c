// What the module creates and when, read from the synthesized module and its derivatives child:
// each resource's address and the condition of its `count` or `for_each`, in the caller's
// variables (a child's variables replaced by what the module call passes, locals by their
// expressions), so the README's table says what an input switches on.

/** An interpolation's expression without `${` `}` (cdktf writes every expression as a template). */
const bare = (expression) => {
  const text = String(expression).trim();
  return text.startsWith("${") && text.endsWith("}") ? text.slice(2, -1).trim() : text;
};

const parenthesized = (expression) => (/^[\w.]+$/.test(expression) ? expression : `(${expression})`);

/** `expression` with `local.X` and `var.X` replaced, by `locals`' expressions and by `vars`(X) (the caller's words). */
function resolve(expression, locals, vars) {
  let text = bare(expression);
  for (let i = 0; i < 5 && /\blocal\.\w+/.test(text); i++) {
    text = text.replace(/\blocal\.(\w+)/g, (whole, name) => (name in locals ? parenthesized(bare(locals[name])) : whole));
  }
  return text.replace(/\bvar\.(\w+)/g, (_, name) => vars(name));
}

/** A condition as a reader says it: `create_bucket`, not `(var.create_bucket)`; outer parentheses dropped. */
const plain = (condition) => {
  const text = condition.replace(/^\((.*)\)$/, "$1");
  return /^\w+$/.test(text) ? `${text} = true` : text;
};

/** When a block exists: "always", the condition of its `count`, or one per entry of its `for_each`. */
function when(block, locals, vars) {
  if (block.count !== undefined) {
    const count = resolve(block.count, locals, vars);
    const conditional = count.match(/^(.*) \? 1 : 0$/);
    return conditional ? [`\`${plain(conditional[1].trim())}\``] : [`\`count = ${count}\``];
  }
  if (block.for_each !== undefined) {
    const each = resolve(block.for_each, locals, vars);
    const over = each.match(/^\{ ?for \w+, \w+ in (.+?) ?: /);
    return [`one per entry of \`${over ? over[1] : each}\``];
  }
  return [];
}

/**
 * Every resource of `module` (and of its child modules in `children`, by source), with its address
 * and the conditions under which it exists, in the order of their addresses.
 */
export function moduleResources(module, children = {}) {
  const rows = [];
  const visit = (config, prefix, inherited, vars) => {
    const locals = config.locals ?? {};
    for (const [type, named] of Object.entries(config.resource ?? {})) {
      for (const [name, block] of Object.entries(named)) {
        const index = block.count !== undefined ? "[0]" : block.for_each !== undefined ? '["<key>"]' : "";
        rows.push({ address: `${prefix}${type}.${name}${index}`, type, when: [...inherited, ...when(block, locals, vars)] });
      }
    }
    for (const [name, call] of Object.entries(config.module ?? {})) {
      const child = children[call.source];
      if (!child) throw new Error(`module.${name}: no synthesized module for its source ${call.source}`);
      const index = call.count !== undefined ? "[0]" : "";
      const passed = (variable) => (variable in call ? parenthesized(resolve(call[variable], locals, vars)) : `var.${variable}`);
      visit(child, `${prefix}module.${name}${index}.`, [...inherited, ...when(call, locals, vars)], passed);
    }
  };
  visit(module, "", [], (name) => name);
  return rows.sort((a, b) => (a.address < b.address ? -1 : 1));
}
