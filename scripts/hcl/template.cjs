// Terraform's string templates as its JSON syntax holds them ("arn:${data.x.partition}:s3:::…"),
// split into their literal text and their `${…}` / `%{…}` sequences, and written back as HCL: a
// lone interpolation as its bare expression, anything else as a quoted template. The sequences are
// HCL already; only the literal text changes escaping (JSON's string escapes to HCL's).
"use strict";

/**
 * The parts of a template: `{ text }` for literal text (with its `$${` and `%%{` escapes kept) and
 * `{ expr, directive }` for each `${expr}` (directive false) or `%{expr}` (directive true).
 * @param {string} template
 */
function templateParts(template) {
  const parts = [];
  let text = "";
  let i = 0;
  while (i < template.length) {
    if (template.startsWith("$${", i) || template.startsWith("%%{", i)) {
      text += template.slice(i, i + 3);
      i += 3;
    } else if (template.startsWith("${", i) || template.startsWith("%{", i)) {
      const end = closingBrace(template, i + 2);
      if (text) parts.push({ text });
      text = "";
      parts.push({ expr: template.slice(i + 2, end), directive: template[i] === "%" });
      i = end + 1;
    } else {
      text += template[i];
      i += 1;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** The index of the `}` that closes a sequence whose expression starts at `from`, past nested braces and strings. */
function closingBrace(template, from) {
  let depth = 0;
  let i = from;
  while (i < template.length) {
    const c = template[i];
    if (c === '"') i = pastString(template, i + 1);
    else {
      if (c === "{") depth += 1;
      else if (c === "}") {
        if (depth === 0) return i;
        depth -= 1;
      }
      i += 1;
    }
  }
  throw new Error(`Unclosed template sequence in ${JSON.stringify(template)}`);
}

/** The index just past the quoted string (itself a template) that starts at `from` (after its opening quote). */
function pastString(template, from) {
  let i = from;
  while (i < template.length) {
    const c = template[i];
    if (c === "\\") i += 2;
    else if (c === '"') return i + 1;
    else if (template.startsWith("$${", i) || template.startsWith("%%{", i)) i += 3;
    else if (template.startsWith("${", i) || template.startsWith("%{", i)) i = closingBrace(template, i + 2) + 1;
    else i += 1;
  }
  throw new Error(`Unclosed string in ${JSON.stringify(template)}`);
}

const ESCAPES = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Literal text in HCL's quoted-string escapes (its template escapes `$${`, `%%{` left as they are). */
function escapeText(text) {
  let out = "";
  for (const c of text) {
    const code = c.codePointAt(0);
    if (ESCAPES[c]) out += ESCAPES[c];
    else if (code < 0x20 || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += c;
  }
  return out;
}

/** A string taken literally (no interpolation), as an HCL quoted string: `${` and `%{` escaped. */
function literalString(value) {
  return `"${escapeText(value).replace(/([$%])\{/g, "$1$1{")}"`;
}

/** Parts as an HCL quoted template. */
function quotedTemplate(parts) {
  return `"${parts.map((part) => ("text" in part ? escapeText(part.text) : `${part.directive ? "%" : "$"}{${part.expr}}`)).join("")}"`;
}

/** A template as HCL: a lone `${expr}` as `expr` (Terraform yields its value unconverted either way), else quoted. */
function templateExpression(template) {
  const parts = templateParts(template);
  if (parts.length === 1 && "expr" in parts[0] && !parts[0].directive) return parts[0].expr.trim();
  return quotedTemplate(parts);
}

/** A reference the JSON syntax writes as a string ("aws_x.y" or "${aws_x.y}"), bare. */
function bareReference(value) {
  const parts = templateParts(value);
  return parts.length === 1 && "expr" in parts[0] ? parts[0].expr.trim() : value;
}

module.exports = { templateParts, escapeText, literalString, quotedTemplate, templateExpression, bareReference };
