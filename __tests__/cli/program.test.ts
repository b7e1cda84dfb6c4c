// Every usage error of `image-pipeline` exits 2 with one line, before anything reads AWS: the bundled
// command runs in its own process with no AWS configuration of the machine's, its endpoint, metadata
// and container-credential addresses all on a local server that records every request it gets. A
// command that went as far as a credential lookup or an AWS call would be recorded there.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";

const ROOT = join(__dirname, "..", "..");

type Result = { code: number | null; stdout: string; stderr: string; requests: string[] };

/** A local HTTP server that answers 500 to everything and records what it was asked. */
async function recorder() {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.statusCode = 500;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

const day = ["--from", "2026-11-27", "--to", "2026-11-28"];
const CASES: [string[], RegExp][] = [
  // Naming the pipeline
  [["report"], /which pipeline\? pass --outputs <file>/],
  [["report", "--env", "Dev Env!"], /'Dev Env!' is invalid\. --env must be 1 to 29 lowercase letters/],
  [["report", "--env", "dev", "--name-prefix", "Blue!"], /--name-prefix must be empty, or lowercase letters/],
  [["report", "--outputs", "outputs.json", "--env", "dev"], /'--outputs <file>' cannot be used with option '--env <environment>'/],
  [
    ["report", "--terraform-dir", ".", "--name-prefix", "blue"],
    /'--name-prefix <prefix>' cannot be used with option '--terraform-dir <dir>'/,
  ],
  [["--outputs", "outputs.json", "report", "--env", "dev"], /give only one of --outputs, --terraform-dir and --env/],
  // Values
  [
    ["query", "--env", "dev", ...day, "--status", "bogus"],
    /'bogus' is invalid\. Allowed choices are processed, rejected, missing, unreadable, deleted/,
  ],
  [["query", "--env", "dev", ...day, "--format", "xml"], /Allowed choices are table, jsonl, csv/],
  [["query", "--env", "dev", "--from", "yesterday", "--to", "2026-11-28"], /'yesterday' is invalid\. not an ISO 8601 date/],
  [["query", "--env", "dev", "--from", "2026-11-28", "--to", "2026-11-27"], /--from must not be after --to/],
  [["query", "--env", "dev", "--to", "2026-11-28"], /required option '--from <time>' not specified/],
  [["report", "--env", "dev", "--days", "0"], /--days must be a positive integer/],
  [["backfill", "--env", "dev", "--rate", "-5"], /--rate must be a positive integer/],
  [["backfill", "--env", "dev", "--since", "2026-13-45"], /not an ISO 8601 date/],
  [["dead-letters", "replay", "--env", "dev", "--max", "1.5"], /--max must be a positive integer/],
  [["report", "batch-job", "../../etc", "--env", "dev"], /a Batch Operations job id is 1 to 64 letters/],
  [["backfill", "batch", "--env", "dev", "--manifest", "https://bucket/manifest.json"], /must be an s3:\/\/<bucket>\/<key> URI/],
  [["cost", "--uploads-per-day", "many"], /--uploads-per-day must be a positive number/],
  [["diagram", "--format", "png"], /Allowed choices are svg, mermaid, dot/],
  // Conflicting or missing options, modes
  [
    ["backfill", "batch", "--env", "dev", "--manifest", "s3://b/m.json", "--prefix", "2026/"],
    /'--manifest <s3-uri>' cannot be used with option '--prefix <prefix>'/,
  ],
  [["backfill", "derivatives", "--env", "dev", "--reprocess"], /unknown option '--reprocess'/],
  [["backfill", "--dry-run", "derivatives", "--env", "dev"], /give --dry-run after `backfill derivatives`, not before it/],
  [["report", "--json", "batch-job", "j-1", "--env", "dev"], /give --json after `report batch-job`, not before it/],
  [["dead-letters", "redrive", "--env", "dev"], /required option '--queue <queue>' not specified/],
  [["dead-letters", "redrive", "--env", "dev", "--queue", "processor"], /Allowed choices are derivatives, events/],
  [["adopt-cloudformation", "--stack", "images-dev"], /adopt-cloudformation needs --env <environment>/],
  [
    ["adopt-cloudformation", "--stack", "images-dev", "--env", "dev", "--name-prefix", "blue"],
    /the original CloudFormation design's resources have no name prefix/,
  ],
  [["backfill", "--env", "dev", "now"], /too many arguments for 'backfill'/],
  [["frobnicate"], /unknown command 'frobnicate'/],
  // The flags of earlier releases, checked as before, only sooner
  [
    ["backfill", "--env", "dev", "--engine", "batch-operations", "--since", "2026-01-01"],
    /--engine batch-operations does not take --since/,
  ],
  [["backfill", "--env", "dev", "--engine", "cloud"], /Allowed choices are local, batch-operations/],
  [["backfill", "--env", "dev", "--manifest", "s3://b/m.json"], /--manifest goes with `backfill batch`/],
  [["backfill", "--env", "dev", "--force"], /--force goes with `backfill derivatives`/],
  [["backfill", "--env", "dev", "--derivatives", "--reprocess"], /'--derivatives' cannot be used with option '--reprocess'/],
  [["report", "--env", "dev", "--batch-job", "no such job"], /a Batch Operations job id is 1 to 64 letters/],
  [["replay-dead-letters", "--env", "dev", "--queue", "all"], /Allowed choices are processor, derivatives, events/],
];

describe("image-pipeline usage errors: exit 2, one line, no request", () => {
  let dir: string;
  let bundle: string;
  const results = new Map<string, Promise<Result>>();

  /**
   * Runs the command with nothing of this machine's AWS configuration: a region, and a recorder of
   * its own for every address the SDK would reach (the endpoint, instance metadata, container credentials).
   */
  async function imagePipeline(args: string[]): Promise<Result> {
    const aws = await recorder();
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        AWS_CONFIG_FILE: join(dir, "no-config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-credentials"),
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_EC2_METADATA_SERVICE_ENDPOINT: aws.endpoint,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${aws.endpoint}/credentials`,
      },
    });
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    await aws.close();
    return { code, stdout, stderr, requests: aws.requests };
  }

  beforeAll(async () => {
    // Under build/, so the command finds the package.json above it as it does installed.
    mkdirSync(join(ROOT, "build"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "build", "cli-usage-"));
    bundle = join(dir, "image-pipeline.js");
    await build({ entryPoints: [join(ROOT, "cli", "index.ts")], bundle: true, platform: "node", outfile: bundle, logLevel: "error" });
    writeFileSync(join(dir, "outputs.json"), "{}");
    // Every case's process is started here, four at a time; each test waits for its own.
    const lanes: Promise<unknown>[] = [Promise.resolve(), Promise.resolve(), Promise.resolve(), Promise.resolve()];
    CASES.forEach(([args], i) => {
      const result = lanes[i % lanes.length].then(() => imagePipeline(args));
      lanes[i % lanes.length] = result.catch(() => undefined);
      results.set(JSON.stringify(args), result);
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(results.values());
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it.each(CASES)(
    "%j",
    async (args, message) => {
      const result = await results.get(JSON.stringify(args))!;

      expect({ code: result.code, stdout: result.stdout, requests: result.requests }).toEqual({ code: 2, stdout: "", requests: [] });
      expect(result.stderr).toMatch(/^image-pipeline: [^\n]+\n$/);
      expect(result.stderr).toMatch(message);
    },
    180_000,
  );

  it("says its version, from package.json, and names every command in its description", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

    const printed = await imagePipeline(["--version"]);
    const help = await imagePipeline(["--help"]);

    expect([printed.code, printed.stdout]).toEqual([0, `${version}\n`]);
    const description = /\n\n([\s\S]+?)\n\nOptions:/.exec(help.stdout)![1].replace(/\s+/g, " ");
    const commands = /\nCommands:\n([\s\S]+?)\n\n/.exec(help.stdout)![1];
    const names = [...commands.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((name) => name !== "help");
    expect(names).toEqual(["backfill", "dead-letters", "report", "query", "adopt-cloudformation", "diagram", "cost"]);
    for (const name of names) expect(description).toContain(` ${name}`);
    expect(help.stdout).toMatch(/Node\.js: >=\S+ \(package\.json engines\)/);
    expect([...printed.requests, ...help.requests]).toEqual([]);
  }, 60_000);
});
