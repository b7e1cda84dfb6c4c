// The public API's report (API Extractor, configured by api-extractor.json): the library's
// declarations, as `npm run build:lib` writes them to lib/, emitted into build/api-declarations from
// the package's entry point alone (what it reaches, not the CLI), then analysed. `npm run api`
// writes the report to api-report/ for review; the unit test (__tests__/scripts/api-report.test.ts)
// checks without writing, and fails on any difference or error, a forgotten export among them.
import { rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { ROOT } from "./build.mjs";

/** Where the declarations are emitted, under the project so their imports resolve from its node_modules. */
export const DECLARATIONS_DIR = join(ROOT, "build", "api-declarations");

/** Emits the declarations of everything the entry point reaches, with the library build's options; throws on a type error. */
function emitDeclarations() {
  const configFile = join(ROOT, "tsconfig.build.json");
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile);
  rmSync(DECLARATIONS_DIR, { recursive: true, force: true });
  const program = ts.createProgram([join(ROOT, "constructs", "index.ts")], {
    ...options,
    outDir: DECLARATIONS_DIR,
    declaration: true,
    emitDeclarationOnly: true,
  });
  const { diagnostics } = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(
      ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => ROOT, getNewLine: () => "\n" }),
    );
  }
}

/**
 * Runs API Extractor as api-extractor.json says, on the declarations at `entry` with the report in
 * `reportFolder` (by default the package's). With `update`, writes the report; without, leaves it
 * and says whether it differs. Returns the outcome and every message of warning level or above, as
 * `level: file:line - (id) text`.
 */
export function runApiExtractor({ update = false, entry, reportFolder } = {}) {
  const configObjectFullPath = join(ROOT, "api-extractor.json");
  const configObject = ExtractorConfig.loadFile(configObjectFullPath);
  if (entry) configObject.mainEntryPointFilePath = entry;
  if (reportFolder) configObject.apiReport = { ...configObject.apiReport, reportFolder, reportTempFolder: join(reportFolder, "temp") };
  const config = ExtractorConfig.prepare({ configObject, configObjectFullPath, packageJsonFullPath: join(ROOT, "package.json") });
  const messages = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback: (message) => {
      // The console's notes say what the outcome says (the report changed or was copied).
      if ((message.logLevel === "error" || message.logLevel === "warning") && !message.messageId.startsWith("console-")) {
        const where = message.sourceFilePath ? `${relative(ROOT, message.sourceFilePath)}:${message.sourceFileLine} - ` : "";
        messages.push(`${message.logLevel}: ${where}(${message.messageId}) ${message.text}`);
      }
      // Reported by the caller, in one list, rather than as API Extractor's console lines.
      message.handled = true;
    },
  });
  return {
    succeeded: result.succeeded,
    reportChanged: result.apiReportChanged,
    reportFile: relative(ROOT, config.reportFilePath),
    /** What the report would be, written to build/api-report by a run without `update`, for the diff. */
    candidateFile: relative(ROOT, config.reportTempFilePath),
    messages,
  };
}

/** The package's report, from declarations emitted afresh: written with `update`, else compared. */
export function apiReport({ update = false } = {}) {
  emitDeclarations();
  return runApiExtractor({ update });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const update = process.argv.includes("--update");
  const outcome = apiReport({ update });
  for (const message of outcome.messages) console.error(message);
  if (!outcome.succeeded) {
    console.error(
      update
        ? `The API has errors (above); ${outcome.reportFile} is written, but fix them before committing.`
        : `The API differs from ${outcome.reportFile} (see ${outcome.candidateFile}) or has errors (above): \`npm run api\` updates the report.`,
    );
    process.exit(1);
  }
  console.log(outcome.reportChanged ? `${outcome.reportFile} updated: review and commit it.` : `${outcome.reportFile} is up to date.`);
}
