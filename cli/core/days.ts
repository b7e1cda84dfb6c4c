/** UTC calendar days (`YYYY-MM-DD`, the time index's partition key) from `from` to `to`, both included. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  for (; day.getTime() <= to.getTime(); day.setUTCDate(day.getUTCDate() + 1)) days.push(day.toISOString().slice(0, 10));
  return days;
}

/** The last `count` UTC days up to and including `now`'s. */
export function lastDays(count: number, now: Date): string[] {
  const from = new Date(now.getTime() - (count - 1) * 86_400_000);
  return daysBetween(from, now);
}

/** A date option: an ISO 8601 date or date-time; undefined when it is not one. */
export function parseDate(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
