import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DEFAULTS } from "../constructs/config/defaults";
import { resourceNames } from "../constructs/naming/names";
import { PIPELINE_OUTPUTS } from "../constructs/shipping/pipeline-outputs";
import type { AwsClients } from "./aws";
import { HOW_TO_NAME, type DeploymentOptions, checkDeploymentOptions } from "./deployment-options";
import { CliError, isCredentialsError, isNotFound, noCredentials } from "./errors";

/** The deployed pipeline's resources, by name. */
export interface Deployment {
  readonly bucket: string;
  readonly table: string;
  readonly timeIndex: string;
  readonly functionName: string;
  readonly deadLetterQueueUrl: string;
  readonly alarmNames: readonly string[];
  /** The opt-in derivatives part, when the pipeline has one. */
  readonly derivatives?: { readonly queueUrl: string; readonly functionName: string; readonly deadLetterQueueUrl?: string };
  /** EventBridge delivery's queues, when the pipeline has them. */
  readonly events?: { readonly queueUrl: string; readonly deadLetterQueueUrl?: string };
  /** S3 Batch Operations' jobs bucket and role, when the pipeline has them (batchOperations). */
  readonly batchJobs?: { readonly bucket: string; readonly roleArn: string };
  /** Where the names came from, for messages. */
  readonly source: string;
}

/** Output values by name, from `terraform output -json` ({name: {value}}) or a cdktf outputs file ({stack: {name: value}}). */
export function outputValues(json: unknown): Record<string, string> {
  if (typeof json !== "object" || json === null) return {};
  const entries = Object.entries(json as Record<string, unknown>);
  const flat = entries.map(([name, output]) => [
    name,
    typeof output === "object" && output !== null && "value" in output ? (output as { value: unknown }).value : output,
  ]);
  const values = Object.fromEntries(flat.filter(([, value]) => typeof value === "string")) as Record<string, string>;
  // A cdktf outputs file nests one stack's outputs under its name.
  if (Object.keys(values).length === 0 && entries.length === 1) return outputValues(entries[0][1]);
  return values;
}

/** The output of a pipeline field under either naming: the stacks' (original CloudFormation design) or the module's. */
function pick(values: Record<string, string>, moduleName: string): string | undefined {
  const output = PIPELINE_OUTPUTS.find((o) => o.moduleName === moduleName)!;
  return values[moduleName] ?? (output.stackName ? values[output.stackName] : undefined);
}

/**
 * Prefix and environment of a pipeline, read back from its function's name. The guess is kept only
 * if the naming rules (constructs/naming/names.ts) give the same name back, so it cannot drift from them.
 */
export function instanceOfFunction(functionName: string): { environment: string; prefix: string } | undefined {
  const match = /^(.*)ImageProcessor-([a-z][a-z0-9-]*)$/.exec(functionName);
  if (!match) return undefined;
  const [, prefix, environment] = match;
  return resourceNames(environment, prefix).function === functionName ? { prefix, environment } : undefined;
}

export function deploymentFromOutputs(values: Record<string, string>, source: string): Deployment {
  const missing = ["s3_bucket_name", "dynamodb_table_name", "lambda_function_arn", "dead_letter_queue_url"].filter(
    (name) => !pick(values, name),
  );
  if (missing.length > 0) {
    const names = missing.map((m) => {
      const stack = PIPELINE_OUTPUTS.find((o) => o.moduleName === m)!.stackName;
      return `${m} (or ${stack})`;
    });
    throw new CliError(`${source} lacks the outputs ${names.join(", ")}: give the outputs of the pipeline's stack or module`);
  }
  const functionName = pick(values, "lambda_function_arn")!.split(":").pop()!;
  const instance = instanceOfFunction(functionName);
  const derivativesQueueUrl = pick(values, "derivatives_queue_url");
  const eventQueueUrl = pick(values, "event_queue_url");
  const jobsBucket = pick(values, "batch_jobs_bucket_name");
  const jobsRole = pick(values, "batch_operations_role_arn");
  return {
    ...(jobsBucket && jobsRole ? { batchJobs: { bucket: jobsBucket, roleArn: jobsRole } } : {}),
    ...(eventQueueUrl ? { events: { queueUrl: eventQueueUrl, deadLetterQueueUrl: pick(values, "event_dead_letter_queue_url") } } : {}),
    ...(derivativesQueueUrl && instance
      ? {
          derivatives: {
            queueUrl: derivativesQueueUrl,
            functionName: resourceNames(instance.environment, instance.prefix).derivatives.function,
            deadLetterQueueUrl: pick(values, "derivatives_dead_letter_queue_url"),
          },
        }
      : {}),
    bucket: pick(values, "s3_bucket_name")!,
    table: pick(values, "dynamodb_table_name")!,
    timeIndex: DEFAULTS.timeIndexName,
    functionName,
    deadLetterQueueUrl: pick(values, "dead_letter_queue_url")!,
    alarmNames: instance ? Object.values(resourceNames(instance.environment, instance.prefix).alarms) : [],
    source,
  };
}

function readOutputsFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CliError(`outputs file ${file} cannot be read: write it with \`terraform output -json > ${file}\``);
  }
  try {
    return outputValues(JSON.parse(text));
  } catch {
    throw new CliError(`outputs file ${file} is not JSON: write it with \`terraform output -json > ${file}\``);
  }
}

function terraformOutputs(dir: string): Record<string, string> {
  const result = spawnSync("terraform", ["output", "-json"], { cwd: dir, encoding: "utf8" });
  if (result.error) throw new CliError(`cannot run terraform in ${dir} (${result.error.message}): install it, or pass --outputs <file>`);
  if (result.status !== 0) throw new CliError(`terraform output -json failed in ${dir}: ${result.stderr.trim().split("\n")[0]}`);
  return outputValues(JSON.parse(result.stdout));
}

/**
 * Names from --env and the constructs' naming rules (the command line checked both values against
 * them: command-line/values.ts); the account comes from the caller's credentials.
 */
async function deploymentFromNaming(environment: string, namePrefix: string, aws: AwsClients): Promise<Deployment> {
  const names = resourceNames(environment, namePrefix ? `${namePrefix}-` : "");
  const { Account, Arn } = await aws.sts.send(new GetCallerIdentityCommand({})).catch((error) => {
    throw isCredentialsError(error) ? noCredentials(error) : error;
  });
  const queueUrl = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: names.deadLetterQueue })).catch((error) => {
    if (isNotFound(error)) throw notFound("dead-letter queue", names.deadLetterQueue, `--env ${environment}`);
    throw error;
  });
  // The derivatives part is opt-in: its queue exists only when the pipeline has it.
  const queueUrlOf = (name: string) =>
    aws.sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
      (answer) => answer.QueueUrl,
      (error) => {
        if (isNotFound(error)) return undefined;
        throw error;
      },
    );
  const derivativesQueueUrl = await queueUrlOf(names.derivatives.queue);
  const derivativesDeadLetterQueueUrl = derivativesQueueUrl && (await queueUrlOf(names.derivatives.deadLetterQueue));
  const eventQueueUrl = await queueUrlOf(names.events.queue);
  const eventDeadLetterQueueUrl = eventQueueUrl && (await queueUrlOf(names.events.deadLetterQueue));
  return {
    ...(derivativesQueueUrl
      ? {
          derivatives: {
            queueUrl: derivativesQueueUrl,
            functionName: names.derivatives.function,
            deadLetterQueueUrl: derivativesDeadLetterQueueUrl,
          },
        }
      : {}),
    ...(eventQueueUrl ? { events: { queueUrl: eventQueueUrl, deadLetterQueueUrl: eventDeadLetterQueueUrl } } : {}),
    // Named by the rules too; whether they exist shows when a job is created.
    batchJobs: {
      bucket: names.batchOperations.bucket(Account!),
      roleArn: `arn:${Arn?.split(":")[1] ?? "aws"}:iam::${Account}:role/${names.batchOperations.role}`,
    },
    bucket: names.bucket(Account!),
    table: names.table,
    timeIndex: DEFAULTS.timeIndexName,
    functionName: names.function,
    deadLetterQueueUrl: queueUrl.QueueUrl!,
    alarmNames: Object.values(names.alarms),
    source: `--env ${environment}${namePrefix ? ` --name-prefix ${namePrefix}` : ""}`,
  };
}

export async function resolveDeployment(options: DeploymentOptions, aws: AwsClients): Promise<Deployment> {
  checkDeploymentOptions(options);
  if (options.outputs) return deploymentFromOutputs(readOutputsFile(options.outputs), `outputs file ${options.outputs}`);
  if (options.terraformDir)
    return deploymentFromOutputs(terraformOutputs(options.terraformDir), `terraform output in ${options.terraformDir}`);
  return deploymentFromNaming(options.env!, options.namePrefix ?? "", aws);
}

export const notFound = (what: string, name: string, source: string) =>
  new CliError(`${what} ${name} not found (names from ${source}): check the region (--region, AWS_REGION) and ${HOW_TO_NAME}`);

/** Runs an AWS call that needs a resource of the deployment, turning "not found" and credential failures into one clear line. */
export async function need<T>(what: string, name: string, deployment: Deployment, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isCredentialsError(error)) throw noCredentials(error);
    if (isNotFound(error)) throw notFound(what, name, deployment.source);
    throw error;
  }
}
