// The failed tests of a run, from jest's JSON results, for the last lines of a log: a CI log that is
// shown by its ends names what failed there, not only in the middle of a lane's output.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// biome-ignore lint/suspicious/noControlCharactersInRegex: jest colours its messages
const ANSI = /\u001b\[[0-9;]*m/g;

/** Lines naming each failed test in the JSON results under `dir` written since `since` (ms), with the start of its message. */
export function failedTests(dir, since, messageLines = 12) {
  const lines = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()) {
    const file = join(dir, name);
    if (statSync(file).mtimeMs < since) continue;
    let results;
    try {
      results = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      continue;
    }
    for (const suite of results.testResults ?? []) {
      const path = suite.name.replace(/^.*__tests__\//, "__tests__/");
      const failed = (suite.assertionResults ?? []).filter((a) => a.status === "failed");
      if (failed.length === 0 && suite.status === "failed") lines.push(`✕ ${path}: ${firstLines(suite.message, messageLines)}`);
      for (const test of failed)
        lines.push(`✕ ${path} › ${test.fullName}`, indent(firstLines(test.failureMessages.join("\n"), messageLines)));
    }
  }
  return lines;
}

const firstLines = (text, n) => (text ?? "").replace(ANSI, "").trim().split("\n").slice(0, n).join("\n");
const indent = (text) => text.replace(/^/gm, "    ");
