import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

describe("LICENSE", () => {
  it("is the SPDX list's full text of the licence package.json names (scripts/license.mjs writes it)", () => {
    const { license } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const { licenseText } = require(`spdx-license-list/licenses/${license}.json`);

    expect(license).toBe("Apache-2.0");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toBe(`${licenseText.trimEnd()}\n`);
  });
});
