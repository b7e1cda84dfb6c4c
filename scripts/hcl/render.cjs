// Terraform's JSON syntax (what cdktf synthesizes) written as HCL native syntax, block by block.
// Generic over the configuration: what is a nested block comes from the provider's schema
// (provider-blocks.json), what is an expression from Terraform's rules for its JSON syntax
// (https://developer.hashicorp.com/terraform/language/syntax/json): strings are templates where
// Terraform evaluates expressions, and taken literally where it does not (a variable's default,
// a module's source, the terraform block). The output is unformatted; index.cjs formats it.
"use strict";

const { embeddedArray, embeddedJson, embeddedString } = require("./embedded-json.cjs");
const { bareReference, literalString, templateExpression } = require("./template.cjs");

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(["true", "false", "null", "for", "in", "if", "endif", "endfor", "else"]);

/** An object key: bare when HCL reads it as that literal name, else quoted. */
function key(name) {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) ? name : templateKey(name);
}

function templateKey(name) {
  const expression = templateExpression(name);
  return expression.startsWith('"') ? expression : `(${expression})`;
}

const indent = (text, by = "  ") => text.replace(/\n(?!\n)/g, `\n${by}`);

/** A value where Terraform evaluates expressions: strings as templates, embedded JSON as jsonencode. */
function expression(value) {
  if (typeof value === "string") {
    const embedded = embeddedJson(value);
    if (embedded) return `jsonencode(${document(embedded.document, embedded)})`;
    const rendered = templateExpression(value);
    return rendered.includes("\n") && !rendered.startsWith('"') ? `(${rendered})` : rendered;
  }
  return composite(value, expression);
}

/** A value Terraform takes literally: strings quoted with `${` escaped. */
function literal(value) {
  return typeof value === "string" ? literalString(value) : composite(value, literal);
}

/** The parsed document of a jsonencode, its strings holding the interpolations. */
function document(value, embedded) {
  if (typeof value === "string") return embeddedString(value, embedded);
  if (Array.isArray(value)) {
    const concatenated = embeddedArray(
      value.map((v) => document(v, embedded)),
      value,
      embedded,
    );
    if (concatenated !== undefined) return concatenated;
  }
  return composite(
    value,
    (v) => document(v, embedded),
    (k) => (k.includes("\uE000") ? embeddedString(k, embedded) : key(k)),
  );
}

/** Numbers, booleans, null, lists and objects, their members rendered by `member`. */
function composite(value, member, keyOf = key) {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map(member);
    const inline = `[${items.join(", ")}]`;
    if (!inline.includes("\n") && inline.length <= 100 && value.every((v) => typeof v !== "object" || v === null)) return inline;
    return `[\n${items.map((item) => `  ${indent(item)},`).join("\n")}\n]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, v]) => `  ${keyOf(k)} = ${indent(member(v))}`).join("\n")}\n}`;
  }
  throw new Error(`Cannot render ${typeof value} as HCL`);
}

/** `name = value` lines and nested blocks, in the order the style guide sets: meta-arguments, arguments, blocks, lifecycle, depends_on. */
function body(lines) {
  return lines.filter((line) => line !== undefined).join("\n");
}

function block(header, lines) {
  const inner = body(lines);
  return inner ? `${header} {\n  ${indent(inner)}\n}` : `${header} {}`;
}

const attribute = (name, rendered) => `${name} = ${rendered}`;
const references = (list) => `[${list.map(bareReference).join(", ")}]`;

/** The block(s) a JSON value of a nested block type stands for. */
function nestedBlocks(name, value, blocks, where) {
  return (Array.isArray(value) ? value : [value]).map((item) => block(name, argumentsOf(item, blocks, where)));
}

/** A resource's, data source's or nested block's body: `blocks` names its nested block types (from the schema). */
function argumentsOf(config, blocks, where) {
  const meta = [];
  const attributes = [];
  const nested = [];
  const trailing = [];
  for (const [name, value] of Object.entries(config)) {
    if (name === "//") continue;
    if (name === "count" || name === "for_each") meta.push(attribute(name, expression(value)));
    else if (name === "provider") meta.push(attribute(name, bareReference(value)));
    else if (name === "depends_on") trailing.push(attribute(name, references(value)));
    else if (name === "lifecycle") trailing.unshift(lifecycle(value));
    else if (name === "dynamic") {
      for (const [blockName, spec] of Object.entries(value)) {
        if (!(blockName in blocks)) throw new Error(`${where}: dynamic "${blockName}" is not a nested block of the provider's schema`);
        nested.push(dynamicBlock(blockName, spec, blocks[blockName], `${where}.${blockName}`));
      }
    } else if (name in blocks) nested.push(...nestedBlocks(name, value, blocks[name], `${where}.${name}`));
    else if (name === "provisioner" || name === "connection") throw new Error(`${where}: ${name} blocks are not rendered`);
    else attributes.push(attribute(key(name), expression(value)));
  }
  // A blank line between the groups, as the style guide lays a block out.
  return [meta, attributes, nested, trailing].filter((group) => group.length > 0).flatMap((group, i) => (i === 0 ? group : ["", ...group]));
}

function dynamicBlock(name, spec, blocks, where) {
  const lines = [attribute("for_each", expression(spec.for_each))];
  if (spec.iterator !== undefined) lines.push(attribute("iterator", bareReference(spec.iterator)));
  if (spec.labels !== undefined) lines.push(attribute("labels", expression(spec.labels)));
  lines.push(block("content", argumentsOf(spec.content ?? {}, blocks, where)));
  return block(`dynamic ${JSON.stringify(name)}`, lines);
}

function conditions(name, list) {
  return (Array.isArray(list) ? list : [list]).map((c) =>
    block(name, [attribute("condition", expression(c.condition)), attribute("error_message", expression(c.error_message))]),
  );
}

function lifecycle(config) {
  const lines = [];
  for (const [name, value] of Object.entries(config)) {
    if (name === "ignore_changes") lines.push(attribute(name, Array.isArray(value) ? references(value) : bareReference(value)));
    else if (name === "replace_triggered_by") lines.push(attribute(name, references(value)));
    else if (name === "precondition" || name === "postcondition") lines.push(...conditions(name, value));
    else lines.push(attribute(name, literal(value)));
  }
  return block("lifecycle", lines);
}

const label = (text) => JSON.stringify(text);

/** Every top-level block of a Terraform JSON configuration, as { kind, type?, name?, text }. */
function renderBlocks(config, providerBlocks) {
  const out = [];
  for (const [kind, value] of Object.entries(config)) {
    if (kind === "//") continue;
    if (kind === "terraform") out.push({ kind, text: terraformBlock(value) });
    else if (kind === "variable") for (const [name, v] of Object.entries(value)) out.push({ kind, name, text: variable(name, v) });
    else if (kind === "output") for (const [name, v] of Object.entries(value)) out.push({ kind, name, text: output(name, v) });
    else if (kind === "locals")
      for (const [name, v] of Object.entries(value)) out.push({ kind, name, text: attribute(key(name), expression(v)) });
    else if (kind === "module")
      for (const [name, v] of Object.entries(value)) out.push({ kind, name, config: v, text: moduleCall(name, v) });
    else if (kind === "moved") for (const m of value) out.push({ kind, text: moved(m) });
    else if (kind === "resource" || kind === "data") {
      for (const [type, instances] of Object.entries(value)) {
        const blocks = providerBlocks[kind][type];
        if (!blocks) {
          throw new Error(
            `${kind} ${type} is not in scripts/hcl/provider-blocks.json: run node scripts/hcl/provider-blocks.mjs --update to read its blocks from the provider's schema`,
          );
        }
        for (const [name, v] of Object.entries(instances)) {
          const where = `${kind === "data" ? "data." : ""}${type}.${name}`;
          out.push({ kind, type, name, config: v, text: block(`${kind} ${label(type)} ${label(name)}`, argumentsOf(v, blocks, where)) });
        }
      }
    } else throw new Error(`A top-level "${kind}" is not rendered as HCL`);
  }
  return out;
}

function terraformBlock(config) {
  const lines = [];
  for (const [name, value] of Object.entries(config)) {
    if (name === "required_providers") {
      lines.push(
        block(
          "required_providers",
          Object.entries(value).map(([provider, req]) => attribute(key(provider), literal(req))),
        ),
      );
    } else if (name === "backend" || name === "cloud") throw new Error(`A child module has no ${name}`);
    else lines.push(attribute(name, literal(value)));
  }
  return block("terraform", lines);
}

function variable(name, config) {
  const lines = [];
  const order = ["description", "type", "default", "sensitive", "nullable", "ephemeral"];
  for (const field of [...order, ...Object.keys(config).filter((k) => !order.includes(k))]) {
    const value = config[field];
    if (value === undefined) continue;
    if (field === "type") lines.push(attribute(field, value));
    else if (field === "validation") lines.push(...conditions("validation", value));
    else lines.push(attribute(field, literal(value)));
  }
  return block(`variable ${label(name)}`, lines);
}

function output(name, config) {
  const lines = [];
  for (const [field, value] of Object.entries(config)) {
    if (field === "value") lines.push(attribute(field, expression(value)));
    else if (field === "depends_on") lines.push(attribute(field, references(value)));
    else if (field === "precondition") lines.push(...conditions(field, value));
    else lines.push(attribute(field, literal(value)));
  }
  return block(`output ${label(name)}`, lines);
}

function moduleCall(name, config) {
  const lines = [];
  const meta = ["source", "version", "count", "for_each", "providers"];
  for (const field of meta) {
    const value = config[field];
    if (value === undefined) continue;
    if (field === "source" || field === "version") lines.push(attribute(field, literal(value)));
    else if (field === "providers") {
      lines.push(
        attribute(
          field,
          `{\n${Object.entries(value)
            .map(([k, v]) => `  ${k} = ${bareReference(v)}`)
            .join("\n")}\n}`,
        ),
      );
    } else lines.push(attribute(field, expression(value)));
  }
  lines.push("");
  for (const [field, value] of Object.entries(config)) {
    if (field === "//" || meta.includes(field) || field === "depends_on") continue;
    lines.push(attribute(key(field), expression(value)));
  }
  if (config.depends_on) lines.push(attribute("depends_on", references(config.depends_on)));
  return block(`module ${label(name)}`, lines);
}

function moved({ from, to }) {
  return block("moved", [attribute("from", bareReference(from)), attribute("to", bareReference(to))]);
}

module.exports = { expression, literal, renderBlocks };
