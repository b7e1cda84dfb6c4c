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
  const optionals = new Set();
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
      const optional = inString ? undefined : OPTIONAL_ELEMENT.exec(part.expr.trim());
      const element = optional && (unwrapCall(optional[2], "jsonencode") ?? optional[2]);
      const n = exprs.push(optional ? `${optional[1].trim()} ? [${element}] : []` : part.expr.trim()) - 1;
      if (inString) text += `${OPEN}${n}${CLOSE}`;
      else if (optional) {
        // An element the plan decides, after the array's others: a list of its own in concat().
        optionals.add(n);
        text += `,"${OPEN}${n}${CLOSE}"`;
      } else {
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
  return { document, exprs, raw, optionals };
}

/**
 * `${<switch> ? format(",%s", jsonencode(<element>)) : ""}` after an array's last element: an element a
 * plan-time switch puts in (constructs/support/policy-document.ts writes statements so).
 */
const OPTIONAL_ELEMENT = /^([\s\S]+?) \? format\(",%s", ([\s\S]+)\) : ""$/;

/**
 * An array of an embedded document as HCL: its elements, or, with elements a switch puts in,
 * `concat([<the others>], <switch> ? [<element>] : [], …)` in their order.
 */
function embeddedArray(items, value, { optionals }) {
  const optionalAt = value.map((v) => {
    const whole = typeof v === "string" ? v.match(/^\uE000(\d+)\uE001$/) : null;
    return whole !== null && optionals.has(Number(whole[1]));
  });
  if (!optionalAt.includes(true)) return undefined;
  const lists = [];
  let run = [];
  for (const [i, item] of items.entries()) {
    if (!optionalAt[i]) run.push(item);
    else {
      if (run.length > 0) lists.push(`[\n${run.map((r) => `  ${r.replace(/\n/g, "\n  ")},`).join("\n")}\n]`);
      run = [];
      lists.push(item);
    }
  }
  if (run.length > 0) lists.push(`[\n${run.map((r) => `  ${r.replace(/\n/g, "\n  ")},`).join("\n")}\n]`);
  return `concat(\n${lists.map((l) => `  ${l.replace(/\n/g, "\n  ")},`).join("\n")}\n)`;
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

module.exports = { embeddedArray, embeddedJson, embeddedString };
