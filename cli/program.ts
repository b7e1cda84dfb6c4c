// The `image-pipeline` command: the program's own options, each command registering itself
// (command-line/), and how every outcome becomes an exit code. What a command does, the AWS SDK, and
// the constructs with their frameworks (cdktf, constructs, the AWS provider), load only once its
// command line is known good: --help and a usage error answer at once (index.startup.test.ts).
import { Command, CommanderError } from "commander";
import type { AwsClients, AwsOptions } from "./aws";
import { registerAdoptCloudFormation } from "./command-line/adopt-cloudformation";
import { registerBackfill } from "./command-line/backfill";
import { type CommandContext, addPipelineOptions } from "./command-line/context";
import { registerCost } from "./command-line/cost";
import { registerDeadLetters } from "./command-line/dead-letters";
import { registerDiagram } from "./command-line/diagram";
import { registerQuery } from "./command-line/query";
import { registerReport } from "./command-line/report";
import { CliError, EXIT, isCredentialsError, noCredentials } from "./errors";
import { type Io, line } from "./io";
import { packageManifest } from "./package-manifest";

/** The commands, in the order the help lists them. */
const COMMANDS = [
  registerBackfill,
  registerDeadLetters,
  registerReport,
  registerQuery,
  registerAdoptCloudFormation,
  registerDiagram,
  registerCost,
];

const epilog = (node: string) => `
The pipeline is named by one of (after the command's name):
  --outputs <file>        terraform output -json > file (the module's or a stack's outputs)
  --terraform-dir <dir>   runs terraform output -json there
  --env <environment>     the naming rules of the constructs (with --name-prefix if it has one)
AWS configuration is the SDK's: credentials chain, AWS_REGION or --region, AWS_PROFILE or --profile,
AWS_ENDPOINT_URL for an emulator.

Exit codes: 0 done, 1 failed (or something left undone), 2 bad usage (nothing was read or sent), 130 interrupted.

Node.js: ${node} (package.json engines). On Node.js 20, past its end of life since April 2026, the
command still runs, and the AWS SDK warns that its next releases need Node.js 22.`;

const awsClients = (options: AwsOptions): AwsClients => (require("./aws") as typeof import("./aws")).awsClients(options);

/** A usage error in one line: commander's message ("error: ..."), named for the command. */
const oneLine = (text: string) =>
  `image-pipeline: ${text
    .replace(/^error: /, "")
    .replace(/\s*\n\s*/g, " ")
    .trim()} (--help for usage)\n`;

/** The `image-pipeline` command; `run` returns the exit code instead of exiting, so tests can call it. */
export async function run(argv: readonly string[], io: Io, clients: (options: AwsOptions) => AwsClients = awsClients): Promise<number> {
  let exitCode: number = EXIT.ok;
  const manifest = packageManifest();
  const program = new Command("image-pipeline")
    .version(manifest.version, "-V, --version", "print the version")
    // Each command's options come after its name, so a command and its modes may share names (--json).
    .enablePositionalOptions()
    .addHelpText("after", epilog(manifest.engines.node))
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(oneLine(text)),
    });
  addPipelineOptions(program, { hidden: true });

  const context: CommandContext = { io, clients, exit: (code) => void (exitCode = code) };
  for (const register of COMMANDS) register(program, context);
  const names = program
    .createHelp()
    .visibleCommands(program)
    .map((command) => command.name())
    .filter((name) => name !== "help");
  program.description(`Day-2 operations of the serverless image-processing pipeline, and reviews of a configuration: ${names.join(", ")}.`);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const known = isCredentialsError(error) ? noCredentials(error) : error;
    if (known instanceof CliError) {
      line(io.stderr, `image-pipeline: ${known.message}`);
      return known.exitCode;
    }
    line(io.stderr, `image-pipeline: ${(error as Error).name}: ${(error as Error).message}`);
    return EXIT.failed;
  }
}
