import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListImportsCommand,
  type Stack,
} from "@aws-sdk/client-cloudformation";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import Table from "cli-table3";
import { resourceNames } from "../../constructs/naming/names";
import { RULES } from "../../constructs/config/rules";
import type { AwsClients } from "../aws";
import { adoptionRunbook } from "../core/adoption-runbook";
import { type Template, parseTemplate, retainTemplate } from "../core/cloudformation-template";
import { type BucketSetting, type Finding, KEPT, assessStack, importBlocks } from "../core/cloudformation-design";
import { CliError, EXIT, errorName, isNotFound } from "../errors";
import { type Io, line } from "../io";

export interface AdoptOptions {
  readonly stack: string;
  readonly environment: string;
  /** Folder for the files; `adopt-<stack>` when absent. */
  readonly outDir?: string;
  /** The module block's name in the operator's root module. */
  readonly moduleName: string;
  readonly json: boolean;
}

/** CloudFormation's --template-body limit; a bigger template has to go through S3 (--template-url). */
const TEMPLATE_BODY_LIMIT = 51_200;

async function describeStack(aws: AwsClients, name: string, region: string): Promise<Stack> {
  try {
    const { Stacks } = await aws.cloudformation.send(new DescribeStacksCommand({ StackName: name }));
    if (Stacks?.[0]) return Stacks[0];
  } catch (error) {
    if (!(errorName(error) === "ValidationError" && /does not exist/.test((error as Error).message))) throw error;
  }
  throw new CliError(
    `stack ${name} does not exist in ${region}: nothing to adopt (a deleted stack's resources are adopted by the plan of step 4, not by this command)`,
  );
}

/** Stacks that import one of this stack's exports: CloudFormation refuses to delete it while any does. */
async function importersOf(aws: AwsClients, stack: Stack, io: Io): Promise<string[]> {
  const importers: string[] = [];
  const unchecked: string[] = [];
  for (const exportName of (stack.Outputs ?? []).map((o) => o.ExportName).filter((n): n is string => !!n)) {
    try {
      const { Imports } = await aws.cloudformation.send(new ListImportsCommand({ ExportName: exportName }));
      importers.push(...(Imports ?? []).map((s) => `${s} imports ${exportName}`));
    } catch (error) {
      // CloudFormation answers an export nobody imports with this error.
      if (errorName(error) === "ValidationError" && /not imported/i.test((error as Error).message)) continue;
      unchecked.push(`${exportName} (${errorName(error)})`);
    }
  }
  if (unchecked.length > 0) {
    line(
      io.stderr,
      `warning: could not list who imports ${unchecked.join(", ")}; if another stack imports one, step 3 fails and deletes nothing`,
    );
  }
  return importers;
}

async function tableKeys(aws: AwsClients, table: string | undefined) {
  if (!table) return undefined;
  try {
    return (await aws.dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table?.KeySchema ?? [];
  } catch (error) {
    if (isNotFound(error))
      throw new CliError(`table ${table} of the stack does not exist in this region: was it deleted outside CloudFormation?`);
    throw error;
  }
}

/** S3's answer when a bucket has none of the setting. */
const ABSENT: Record<BucketSetting, string> = {
  encryption: "ServerSideEncryptionConfigurationNotFoundError",
  publicAccessBlock: "NoSuchPublicAccessBlockConfiguration",
  lifecycle: "NoSuchLifecycleConfiguration",
  policy: "NoSuchBucketPolicy",
};

/** The bucket's settings that are not there, so that no import block points at nothing. */
async function missingSettings(aws: AwsClients, bucket: string): Promise<Set<BucketSetting>> {
  const reads: Record<BucketSetting, () => Promise<unknown>> = {
    encryption: () => aws.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })),
    publicAccessBlock: () => aws.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })),
    lifecycle: () => aws.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    policy: () => aws.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
  };
  const missing = new Set<BucketSetting>();
  for (const [setting, read] of Object.entries(reads) as [BucketSetting, () => Promise<unknown>][]) {
    await read().catch((error) => {
      if (errorName(error) !== ABSENT[setting]) throw error;
      missing.add(setting);
    });
  }
  return missing;
}

/**
 * Reads the stack, checks it is the original CloudFormation design for this environment and account, and writes
 * what the move needs: the Retain template, the import blocks (stack and module) and the runbook.
 * Changes nothing in AWS; writes nothing when it refuses.
 */
export async function adoptCloudFormation(aws: AwsClients, options: AdoptOptions, io: Io): Promise<number> {
  if (!RULES.environment.pattern.test(options.environment))
    throw new CliError(`--env must be ${RULES.environment.allowed}; got ${JSON.stringify(options.environment)}`, EXIT.usage);
  const region = await aws.cloudformation.config.region();
  const stack = await describeStack(aws, options.stack, region);
  const [, , , stackRegion, stackAccount] = (stack.StackId ?? "").split(":");
  const { TemplateBody } = await aws.cloudformation.send(new GetTemplateCommand({ StackName: stack.StackId, TemplateStage: "Original" }));
  let template: ReturnType<typeof parseTemplate>;
  try {
    template = parseTemplate(TemplateBody ?? "");
  } catch (error) {
    throw new CliError(
      `the template of stack ${options.stack} cannot be read (${(error as Error).message}): it is not the original CloudFormation design`,
    );
  }
  const { StackResources } = await aws.cloudformation.send(new DescribeStackResourcesCommand({ StackName: stack.StackId }));
  const physicalIds = Object.fromEntries(
    (StackResources ?? []).filter((r) => r.LogicalResourceId).map((r) => [r.LogicalResourceId!, r.PhysicalResourceId]),
  );
  const { Account } = await aws.sts.send(new GetCallerIdentityCommand({}));
  const names = resourceNames(options.environment);

  const { problems, findings } = assessStack(
    {
      stackName: options.stack,
      status: stack.StackStatus ?? "",
      stackAccount,
      stackRegion,
      callerAccount: Account!,
      parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey!, p.ParameterValue])),
      template,
      physicalIds,
      tableKeys: await tableKeys(aws, physicalIds.ImageMetadataTable),
    },
    names,
    options.environment,
  );
  problems.push(
    ...(await importersOf(aws, stack, io)).map(
      (i) => `${i}: CloudFormation will not delete the stack while another stack imports its exports`,
    ),
  );
  if (problems.length > 0) {
    line(io.stderr, `refusing to adopt stack ${options.stack}; nothing was written or changed:`);
    for (const problem of problems) line(io.stderr, `  - ${problem}`);
    return EXIT.failed;
  }

  const missing = await missingSettings(aws, physicalIds.ImageStorageBucket!);
  const outDir = options.outDir ?? `adopt-${options.stack}`;
  const templateFile = join(outDir, `${options.stack}.retain.template.json`);
  const retained = `${JSON.stringify(retainTemplate(template, KEPT), null, 2)}\n`;
  const alreadyRetained = findings.filter((f) => f.fate === "kept").every((f) => f.retained);
  const runbook = adoptionRunbook({
    stackName: options.stack,
    environment: options.environment,
    names,
    region: stackRegion,
    outDir,
    templateFile,
    parameters: Object.keys(template.Parameters ?? {}),
    capabilities: capabilitiesOf(template),
    moduleName: options.moduleName,
    alreadyRetained,
  });
  const files = {
    template: templateFile,
    stackImports: join(outDir, "imports.cdktf.tf"),
    moduleImports: join(outDir, "imports.module.tf"),
    runbook: join(outDir, "RUNBOOK.md"),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(files.template, retained);
  const header = (where: string) =>
    `# Import blocks written by image-pipeline adopt-cloudformation for stack ${options.stack} (RUNBOOK.md, step 4).\n# ${where}\n\n`;
  writeFileSync(
    files.stackImports,
    header(`Copy into cdktf.out/stacks/image-processing-${options.environment}/ after \`cdktf synth\`.`) +
      importBlocks(findings, { kind: "stack" }, missing),
  );
  writeFileSync(
    files.moduleImports,
    header(`Copy into the root module that calls module "${options.moduleName}".`) +
      importBlocks(findings, { kind: "module", name: options.moduleName }, missing),
  );
  writeFileSync(files.runbook, runbook);

  if (options.json) {
    line(
      io.stdout,
      JSON.stringify({
        stack: options.stack,
        environment: options.environment,
        retained: alreadyRetained,
        findings,
        missingBucketSettings: [...missing],
        files,
      }),
    );
    return EXIT.ok;
  }
  line(
    io.stdout,
    `Stack ${options.stack} (${stack.StackStatus}) is the original CloudFormation design for ${options.environment} in account ${Account} (${stackRegion}).`,
  );
  io.stdout.write(`${findingsTable(findings)}\n`);
  line(
    io.stdout,
    alreadyRetained
      ? "Every kept resource is retained: the stack can be deleted (step 3)."
      : "The kept resources are not retained yet: apply the Retain template first (step 1).",
  );
  if (missing.size > 0) {
    line(
      io.stdout,
      `The bucket has no ${[...missing].join(", ")} setting: Terraform creates ${missing.size === 1 ? "it" : "them"} in step 5 instead of importing.`,
    );
  }
  if (Buffer.byteLength(retained) > TEMPLATE_BODY_LIMIT) {
    line(
      io.stderr,
      `warning: ${templateFile} is over ${TEMPLATE_BODY_LIMIT} bytes: upload it to S3 and pass --template-url instead of --template-body`,
    );
  }
  line(io.stdout, `Wrote ${Object.values(files).join(", ")}.\n`);
  io.stdout.write(runbook);
  return EXIT.ok;
}

/** What `update-stack` must be allowed for the template's IAM resources. */
function capabilitiesOf(template: Template): string[] {
  const iam = Object.values(template.Resources ?? {}).filter((r) => r.Type?.startsWith("AWS::IAM::"));
  if (iam.length === 0) return [];
  return iam.some((r) => r.Properties?.RoleName || r.Properties?.UserName || r.Properties?.GroupName)
    ? ["CAPABILITY_NAMED_IAM"]
    : ["CAPABILITY_IAM"];
}

function findingsTable(findings: readonly Finding[]): string {
  const table = new Table({
    head: ["Resource", "Type", "Physical id", "Adoption", "Retained"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [null, null, null, 50, null] as any,
  });
  for (const f of findings) {
    table.push([
      f.logicalId,
      f.type,
      f.physicalId ?? "-",
      `${f.fate === "kept" ? "kept" : "deleted with the stack"}: ${f.becomes}`,
      f.fate === "kept" ? (f.retained ? "yes" : "no") : "-",
    ]);
  }
  return table.toString();
}
