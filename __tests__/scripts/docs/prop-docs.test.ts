// The settings' TSDoc summaries the module's variables are described by: one per prop and per field of
// a group of settings, without the tags (`@remarks`, `@default`), links or line breaks.
import { join } from "node:path";
import { SETTINGS } from "../../../constructs/config/settings-catalog";
import { propDocs, propDocsModule } from "../../../scripts/docs/prop-docs";

const ROOT = join(__dirname, "..", "..", "..");

describe("the props' TSDoc summaries", () => {
  const docs = propDocs(ROOT);

  it("are read for every prop of the settings catalog, a group's fields by their path", () => {
    const props = SETTINGS.flatMap((s) => ("prop" in s ? [s.prop as string] : []));

    expect(props.filter((prop) => !docs[prop])).toEqual([]);
    expect(docs["eventQueue.batchSize"]).toMatch(/^Events per invocation \(1 to 10\)/);
  });

  it("hold the summary only: no tag, and what is under @remarks stays out", () => {
    const all = Object.values(docs).join(" | ");

    expect(all).not.toMatch(/@default|@remarks|\n/);
    // rolePolicyArns' TSDoc says under @remarks how its attachments are keyed.
    expect(docs.rolePolicyArns).toMatch(/^ARNs of IAM policies attached to the functions' roles/);
    expect(docs.rolePolicyArns).not.toContain("keyed");
  });

  it("are written as a module whose object has each of them", () => {
    const text = propDocsModule({ memorySize: "Lambda memory in MB." });

    expect(text).toContain('export const PROP_DOCS: Readonly<Record<string, string>> = {\n  "memorySize": "Lambda memory in MB.",\n};');
  });
});
