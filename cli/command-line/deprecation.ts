// The command shapes that subcommands replaced (`backfill --derivatives`, `report --batch-job`,
// `replay-dead-letters`): they keep working for one release, each saying so in one line on stderr.
import { type Io, line } from "../io";

/** Says, in one line on stderr, that `old` still works for one release and what replaces it. */
export function deprecated(io: Io, old: string, replacement: string): void {
  line(io.stderr, `image-pipeline: \`${old}\` is deprecated and goes in the next release: use \`${replacement}\``);
}
