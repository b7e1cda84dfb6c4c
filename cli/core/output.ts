import Table from "cli-table3";
import { stringify } from "csv-stringify/sync";

export type Format = "table" | "jsonl" | "csv";
export const FORMATS: readonly Format[] = ["table", "jsonl", "csv"];

/** Rows as a readable table (cli-table3), JSON lines, or CSV with a header (csv-stringify). */
export function render(rows: readonly Record<string, unknown>[], columns: readonly string[], format: Format): string {
  if (format === "jsonl") return rows.map((row) => JSON.stringify(row)).join("\n") + (rows.length ? "\n" : "");
  const cells = rows.map((row) => columns.map((column) => (row[column] === undefined || row[column] === null ? "" : String(row[column]))));
  if (format === "csv") return stringify([columns, ...cells]);
  const table = new Table({ head: [...columns], style: { head: [], border: [] } });
  table.push(...cells);
  return `${table.toString()}\n`;
}
