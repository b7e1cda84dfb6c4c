// The shape of a row of the alarm catalog (alarm-catalog.ts), and what is derived from one row alone.

/** The period of every alarm and chart. */
export const PERIOD_SECONDS = 300;

/** One alarm: fires when its metric is strictly above the threshold over one 5-minute period. */
export interface AlarmRow<Watched, Limits> {
  /** Its name between the name prefix and `-<environment>` (names.ts applies both). */
  readonly name: string;
  /** Its Terraform resource name: public interface, so a rename ships with a `moved` block. */
  readonly address: string;
  readonly description: string | ((limits: Limits) => string);
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: "Sum" | "Maximum";
  /** The metric's dimensions, from what the owning part watches (its resources, or their names). */
  readonly dimensions: (watched: Watched) => Record<string, string>;
  readonly threshold: number | ((limits: Limits) => number);
  /**
   * Its line's label on the dashboard; a line no widget places is drawn in a widget of its own.
   * `null` for an alarm the dashboard does not chart.
   */
  readonly chart: string | null;
}

/** Rows of one part, typed by what that part watches and the limits it is given; key order is the order they are made in. */
export const rowsOf =
  <Watched, Limits>() =>
  <Key extends string>(rows: Record<Key, AlarmRow<Watched, Limits>>) =>
    rows;

/** Any row of the catalog, whatever it watches. */
// biome-ignore lint/suspicious/noExplicitAny: rows of every part, each typed by its own part.
export type AnyAlarmRow = AlarmRow<any, any>;

/** The construct id of the alarm under `key` in its part: `deadLetters` → `DeadLettersAlarm`. */
export const alarmConstructId = (key: string): string => `${key[0].toUpperCase()}${key.slice(1)}Alarm`;

/** The names of one part's alarms, each made by `name` (prefix and environment) from its row. */
export const alarmNamesOf = <Key extends string>(rows: Record<Key, AnyAlarmRow>, name: (base: string) => string): Record<Key, string> =>
  Object.fromEntries(Object.entries<AnyAlarmRow>(rows).map(([key, row]) => [key, name(row.name)])) as Record<Key, string>;
