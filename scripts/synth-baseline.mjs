// The floor `npm run bench` compares synth with: the cdktf TypeScript template's default path on
// this same app (`cdktf synth` running `ts-node main.ts`, the providers through their barrel).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_FUNCTION_SOURCES, ROOT } from "./build.mjs";
import { median, wallMs } from "./timing.mjs";

/** Every .ts file under `dir`, in its folders. */
const tsFilesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? tsFilesUnder(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );

/** The cdktf TypeScript template's default path on the same app: `cdktf synth` running `ts-node main.ts`, barrel provider imports. */
export function baselineSynthMs(runs, env) {
  const dir = mkdtempSync(join(tmpdir(), "bench-baseline-"));
  const parts = ["main.ts", "constructs", ...APP_FUNCTION_SOURCES, "build", "package.json"];
  for (const part of parts) {
    cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  // Deep imports become the package's barrel: import { s3Bucket } from "@cdktf/provider-aws"; import S3Bucket = s3Bucket.S3Bucket;
  const camel = (file) => file.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
  for (const path of tsFilesUnder(join(dir, "constructs"))) {
    const source = readFileSync(path, "utf8").replace(
      // Type-only imports too (`import type { ... }`, `{ type X }`): an import alias serves types and values alike.
      /import (?:type )?\{([^}]+)\} from "(@cdktf\/provider-(?:aws|archive))\/lib\/([\w-]+)";/g,
      (_, names, pkg, module) => {
        const ns = camel(module);
        const alias = `${pkg.split("-").pop()}_${ns}`;
        const aliases = names
          .split(",")
          .map((n) => n.trim().replace(/^type\s+/, ""))
          .filter(Boolean)
          .map((n) => `import ${n} = ${alias}.${n};`);
        return `import { ${ns} as ${alias} } from "${pkg}";\n${aliases.join("\n")}`;
      },
    );
    writeFileSync(path, source);
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2018",
        module: "CommonJS",
        lib: ["es2018"],
        strict: true,
        esModuleInterop: true,
        types: ["node"],
        skipLibCheck: false,
      },
      include: ["main.ts", "constructs/**/*.ts", "functions/**/*.ts"],
    }),
  );
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npx ts-node main.ts", sendCrashReports: "false" }));
  const cdktf = join(ROOT, "node_modules", ".bin", "cdktf");
  const result = Array.from({ length: runs }, () => wallMs(cdktf, ["synth"], { cwd: dir, env }));
  rmSync(dir, { recursive: true, force: true });
  return median(result);
}
