// A synthesized Terraform JSON configuration (cdktf's cdk.tf.json) as the HCL files of a module:
// rendered block by block (render.cjs), laid out by concern (layout.cjs), and formatted with
// hclwrite, the formatter `terraform fmt` runs (through @cdktf/hcl-tools; format.cjs), so the files
// are `terraform fmt -check` clean.
//
// Not cdktf's own HCL output (`cdktf synth --hcl`, App's hclOutput): with the escape hatches this
// module uses (addOverride for dynamic blocks and the module call's count), cdktf 0.21 writes the
// stack's JSON into cdk.tf, which Terraform cannot read.
"use strict";

const { format } = require("./format.cjs");
const { FILES, layOut } = require("./layout.cjs");
const { renderBlocks } = require("./render.cjs");

const GENERATED = "Generated from the cdktf-image-processing constructs (its repository builds it); change them, not this file.";

/** The module's files as { "name.tf": text }, formatted. `providerBlocks`: which arguments are blocks (provider-blocks.mjs). */
async function hclFiles(config, providerBlocks = require("./provider-blocks.json")) {
  const files = {};
  for (const [file, blocks] of Object.entries(layOut(renderBlocks(config, providerBlocks)))) {
    const locals = blocks.filter((b) => b.kind === "locals").map((b) => b.text);
    const texts = [...(locals.length > 0 ? [`locals {\n  ${locals.map((t) => t.replace(/\n/g, "\n  ")).join("\n  ")}\n}`] : [])];
    texts.push(...blocks.filter((b) => b.kind !== "locals").map((b) => b.text));
    const header = `# ${FILES[file] ?? ""}\n# ${GENERATED}\n`;
    files[file] = await format(`${header}\n${texts.join("\n\n")}\n`);
  }
  return files;
}

module.exports = { hclFiles };
