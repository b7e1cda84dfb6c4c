import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { frameworkFreeTests } = require("../../scripts/framework-free-tests.cjs");

describe("frameworkFreeTests", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "framework-free-"));
    mkdirSync(join(root, "t", "helpers"), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => writeFileSync(join(root, "t", file), text);

  it("keeps for both flavors a test that loads the framework directly, through a relative import two levels down, or in a child synth", () => {
    // Arrange
    write("helpers/deep.ts", 'import { App } from "cdktf";\nexport const app = () => new App();\n');
    write("helpers/middle.ts", 'export { app } from "./deep";\n');
    write("direct.test.ts", 'import { Testing } from "cdktf";\n');
    write("transitive.test.ts", 'import { app } from "./helpers/middle";\n');
    write("child.test.ts", 'spawnSync(process.execPath, ["scripts/synth.mjs"]);\n');
    write("provider.test.ts", 'const { S3Bucket } = require("@cdktf/provider-aws/lib/s3-bucket");\n');
    write("pure.test.ts", 'import { helper } from "./helpers/pure";\nimport sharp from "sharp";\n');
    write("helpers/pure.ts", "export const helper = 1;\n");

    // Act
    const free = frameworkFreeTests(root, "t");

    // Assert
    expect(free).toEqual([join("t", "pure.test.ts")]);
  });

  it("finds the functions' tests of this repository free of the framework, and the constructs' not", () => {
    const free: string[] = frameworkFreeTests(join(__dirname, "..", ".."), "__tests__");

    expect(free).toContain(join("__tests__", "functions", "image-processor", "core", "image-inspection.test.ts"));
    expect(free.filter((file) => file.startsWith(join("__tests__", "constructs")))).toEqual([]);
    expect(free).not.toContain(join("__tests__", "main.test.ts"));
  });
});
