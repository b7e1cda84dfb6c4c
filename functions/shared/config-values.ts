// Reading a function's environment at cold start: a missing or malformed variable fails there,
// naming the variable, before any event is taken. Both functions read theirs with these.

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable that must be set. */
export const required = (env: Env, name: string): string => {
  const value = env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is required but not set`);
  return value;
};

/** A positive integer, or `fallback` when unset. */
export const positiveInteger = (env: Env, name: string, fallback: number): number => {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new ConfigError(`Environment variable ${name} must be a positive integer; got ${JSON.stringify(value)}`);
  }
  return parsed;
};
