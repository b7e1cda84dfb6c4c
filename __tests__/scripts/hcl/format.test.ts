// terraform fmt's formatter, remembered by its input (scripts/hcl/format.cjs): what synth formats
// only when the module's text changed.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { cacheFile, format } = require("../../../scripts/hcl/format.cjs");

describe("the HCL formatter, remembered by its input", () => {
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = mkdtempSync(join(tmpdir(), "hcl-format-cache-"));
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it("formats a text it has not seen as terraform fmt does, and keeps the result under the text's digest", async () => {
    // Act
    const formatted = await format('a = 1\nlonger_name = "x"\n', { cacheDir });

    // Assert: hclwrite aligns the equals signs of consecutive attributes.
    expect(formatted).toBe('a           = 1\nlonger_name = "x"\n');
    expect(readdirSync(cacheDir)).toEqual([cacheFile('a = 1\nlonger_name = "x"\n', cacheDir).split("/").pop()]);
    expect(readFileSync(cacheFile('a = 1\nlonger_name = "x"\n', cacheDir), "utf8")).toBe(formatted);
  });

  it("answers a text it formatted before from the cache, without formatting it again", async () => {
    // Arrange: an entry no formatter would write, so the answer can only come from the cache.
    writeFileSync(cacheFile("b = 2\n", cacheDir), "from the cache\n");

    // Act, Assert
    expect(await format("b = 2\n", { cacheDir })).toBe("from the cache\n");
    expect(await format("b  =  2\n", { cacheDir })).toBe("b = 2\n");
  });
});
