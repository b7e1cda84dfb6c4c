// Policies, dashboards and event patterns reach the JSON syntax as JSON documents inside strings
// ("{\"Version\":\"2012-10-17\",…${aws_sqs_queue.x.arn}…}"). Written as `jsonencode({ … })` of an
// HCL object instead, a reviewer reads the statements as HCL and a diff shows the one that changed.
// The interpolations inside the document become HCL expressions inside the object.
"use strict";

const { escapeText, templateParts } = require("./template.cjs");

/** Marks a placeholder for the n-th interpolation, in Unicode's private use area (never in a module's text). */
const OPEN = "\uE000";
const CLOSE = "\uE001";
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/**
 * The template as `jsonencode(…)` of an HCL value when it is a JSON object or array (its
 * interpolations taken as values), else undefined. `renderValue(value)` renders the parsed
 * document, with strings holding placeholders for the interpolations `exprs` lists.
 * @param {string} template
 */
function embeddedJson(template) {
  if (!/^\s*[[{]/.test(template)) return undefined;
  const parts = templateParts(template);
  if (parts.some((part) => part.directive)) return undefined;
  const exprs = [];
  const raw = new Set();
  let text = "";
  let inString = false;
  for (const part of parts) {
    if ("text" in part) {
      // Where each interpolation stands: inside a JSON string, or in place of a whole value.
      for (let i = 0; i < part.text.length; i += 1) {
        if (part.text[i] === "\\" && inString) i += 1;
        else if (part.text[i] === '"') inString = !inString;
      }
      text += part.text;
    } else {
      const n = exprs.push(part.expr.trim()) - 1;
      if (inString) text += `${OPEN}${n}${CLOSE}`;
      else {
        raw.add(n);
        text += `"${OPEN}${n}${CLOSE}"`;
      }
    }
  }
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof document !== "object" || document === null) return undefined;
  return { document, exprs, raw };
}

/**
 * A string of an embedded document as HCL: a lone interpolation as its expression (one that stood
 * in place of a whole value as what it encoded: `jsonencode(x)` as `x`), anything else as a template.
 */
function embeddedString(value, { exprs, raw }) {
  const whole = value.match(/^\uE000(\d+)\uE001$/);
  if (whole) {
    const n = Number(whole[1]);
    return raw.has(n) ? (unwrapCall(exprs[n], "jsonencode") ?? exprs[n]) : exprs[n];
  }
  let out = "";
  let last = 0;
  for (const match of value.matchAll(PLACEHOLDER)) {
    out += escapeText(value.slice(last, match.index));
    out += `\${${exprs[Number(match[1])]}}`;
    last = match.index + match[0].length;
  }
  return `"${out}${escapeText(value.slice(last))}"`;
}

/** `name(inner)` → `inner` when the call spans the whole expression, else undefined. */
function unwrapCall(expr, name) {
  if (!expr.startsWith(`${name}(`) || !expr.endsWith(")")) return undefined;
  let depth = 0;
  for (let i = name.length; i < expr.length; i += 1) {
    if (expr[i] === "(") depth += 1;
    else if (expr[i] === ")") {
      depth -= 1;
      if (depth === 0 && i !== expr.length - 1) return undefined;
    }
  }
  return expr.slice(name.length + 1, -1);
}

module.exports = { embeddedJson, embeddedString };
