// The environment variables a function reads its settings from, one per row of the settings catalog
// that names one for it; the names are the functions' own (functions/*/environment.ts), which their
// loaders read too.
import { Fn, Token } from "cdktf";
import { SETTINGS, type SettingPath } from "../config/settings-catalog";
import { asText } from "../support/tokens";

/** A setting's value as an environment variable's text: a list comma-separated, a reference as its expression. */
const asEnvironmentText = (value: unknown): string => {
  if (!Array.isArray(value)) return asText(value);
  return Token.isUnresolved(value) ? Fn.join(",", value as string[]) : value.join(",");
};

/** `{ <NAME>: <value> }` for each setting the function reads, `resolvedAt` giving the resolved value at the setting's path. */
export function settingsEnvironment(fn: "processor" | "derivatives", resolvedAt: (prop: SettingPath) => unknown): Record<string, string> {
  return Object.fromEntries(
    SETTINGS.flatMap((s) => {
      if (!("env" in s && "prop" in s)) return [];
      const name = (s.env as { readonly [F in typeof fn]?: string })[fn];
      return name === undefined ? [] : [[name, asEnvironmentText(resolvedAt(s.prop))]];
    }),
  );
}
