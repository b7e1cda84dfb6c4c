import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** The script's answer, from a Node process (jest here loads no ES modules). */
const failedTests = (dir: string, since: number): string[] =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { failedTests } from ${JSON.stringify(join(ROOT, "scripts", "test-failures.mjs"))}; console.log(JSON.stringify(failedTests(${JSON.stringify(dir)}, ${since})))`,
      ],
      { encoding: "utf8" },
    ),
  );

describe("failedTests (scripts/test-failures.mjs): what npm test names last when a lane fails", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "test-failures-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names each failed test of jest's own JSON results with the start of its message, and no passing one", () => {
    // Arrange: a real jest run of one passing and one failing test, in colour as on a terminal.
    writeFileSync(
      join(dir, "sample.test.js"),
      'test("passes", () => expect(1).toBe(1));\ntest("fails", () => expect("got").toBe("wanted"));\n',
    );
    const jest = spawnSync(
      process.execPath,
      [
        join(ROOT, "node_modules", "jest", "bin", "jest.js"),
        "--config",
        JSON.stringify({ rootDir: dir }),
        "--json",
        "--outputFile",
        join(dir, "results.json"),
      ],
      { cwd: dir, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "1" } },
    );

    // Act
    const lines = failedTests(dir, 0);

    // Assert
    expect(jest.status).toBe(1);
    const text = lines.join("\n");
    expect(text).toContain("✕ ");
    expect(text).toContain("sample.test.js › fails");
    expect(text).toMatch(/Expected: "wanted"/);
    expect(text).not.toContain("\u001b[");
    expect(text).not.toContain("passes");
  });

  it("leaves out results older than the run", () => {
    writeFileSync(
      join(dir, "old.json"),
      JSON.stringify({ testResults: [{ name: "x", status: "failed", message: "old", assertionResults: [] }] }),
    );

    const lines = failedTests(dir, Date.now() + 60_000);

    expect(lines).toEqual([]);
  });
});
