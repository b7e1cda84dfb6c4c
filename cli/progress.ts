import { SingleBar } from "cli-progress";
import type { Io } from "./io";

/**
 * A progress bar on stderr (cli-progress) with counts, rate and ETA; drawn only on a terminal,
 * so piped output and logs stay clean. `extra` names more counters shown beside the bar.
 */
export function progressBar(io: Io, unit: string, extra: readonly string[] = []) {
  const bar = new SingleBar({
    stream: io.stderr,
    format: `{bar} {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}${extra.map((name) => ` | ${name} {${name}}`).join("")}`,
    hideCursor: true,
    etaBuffer: 50,
  });
  const start = Date.now();
  const counters = Object.fromEntries(extra.map((name) => [name, 0]));
  return {
    start: (total: number) => bar.start(total, 0, { ...counters, rate: 0 }),
    setTotal: (total: number) => bar.setTotal(total),
    update: (value: number, values: Record<string, number> = {}) =>
      bar.update(value, { ...values, rate: Math.round(value / Math.max(0.001, (Date.now() - start) / 1000)) }),
    stop: () => bar.stop(),
  };
}
