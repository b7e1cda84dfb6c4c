// Which arguments of each AWS resource and data source are nested blocks (written `name { … }` in
// HCL) rather than attributes (`name = …`): Terraform's JSON syntax writes both as JSON objects, so
// rendering the module as HCL needs the provider's schema to tell them apart. The extract covers the
// types the module synthesizes, read from `terraform providers schema -json` of the provider the
// offline mirror holds, and is committed (provider-blocks.json) so `npm run synth` needs no
// Terraform. `node scripts/hcl/provider-blocks.mjs --update` rewrites it after a new resource type;
// the package suite checks it against the provider.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROVIDER_BLOCKS_FILE = fileURLToPath(new URL("./provider-blocks.json", import.meta.url));
const PROVIDER = "registry.terraform.io/hashicorp/aws";

/** A schema block's nested block types, recursively, as { name: { …their nested blocks } }. */
function blocksOf(block) {
  return Object.fromEntries(
    Object.entries(block.block_types ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, nested]) => [name, blocksOf(nested.block)]),
  );
}

/** The provider's schema (`terraform providers schema -json`), through the offline mirror or the registry. */
export function providerSchema() {
  const { writeCliConfig } = createRequire(import.meta.url)("../terraform-cli.cjs");
  const dir = mkdtempSync(join(tmpdir(), "provider-schema-"));
  try {
    const env = { ...process.env, TF_CLI_CONFIG_FILE: writeCliConfig(dir), CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws" } } } }));
    execFileSync("terraform", ["init", "-input=false", "-backend=false"], { cwd: dir, env, stdio: "ignore" });
    const schema = JSON.parse(execFileSync("terraform", ["providers", "schema", "-json"], { cwd: dir, env, maxBuffer: 1 << 30 }));
    return schema.provider_schemas[PROVIDER];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The extract for the resource and data source types `modules` (Terraform JSON) use, from `schema`. */
export function extractBlocks(schema, modules) {
  const used = { resource: new Set(), data: new Set() };
  for (const module of modules)
    for (const kind of ["resource", "data"]) for (const type of Object.keys(module[kind] ?? {})) used[kind].add(type);
  const schemas = { resource: schema.resource_schemas, data: schema.data_source_schemas };
  return Object.fromEntries(
    ["resource", "data"].map((kind) => [
      kind,
      Object.fromEntries(
        [...used[kind]].sort().map((type) => {
          if (!schemas[kind][type]) throw new Error(`The AWS provider has no ${kind} type ${type}`);
          return [type, blocksOf(schemas[kind][type].block)];
        }),
      ),
    ]),
  );
}

// node scripts/hcl/provider-blocks.mjs --update: synthesizes the module and rewrites the extract.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes("--update")) {
  const { synthesizedModules } = await import("../package-module.mjs");
  const extract = extractBlocks(providerSchema(), await synthesizedModules());
  writeFileSync(PROVIDER_BLOCKS_FILE, `${JSON.stringify(extract, null, 2)}\n`);
  console.log(
    `${PROVIDER_BLOCKS_FILE}: ${Object.keys(extract.resource).length} resource and ${Object.keys(extract.data).length} data source types`,
  );
}
