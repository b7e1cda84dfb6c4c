// Two pipelines of one environment in one stack, without a namePrefix, would give their resources
// the same AWS names: Terraform takes the configuration and AWS refuses it at apply, half-way.
// This refuses such a stack at synth instead, naming both pipelines.
import type { IConstruct, IValidation } from "constructs";
import { TerraformResource, TerraformStack, Token } from "cdktf";

/**
 * How a resource type is named in AWS: the attribute holding its name, the attributes the name is
 * unique within (a role policy's role, a permission's function), and whether the name is unique
 * in a region (then a resource on a provider of another region may share it) or in the whole
 * account (IAM), or beyond (S3 buckets, and the one configuration of each kind a bucket has).
 */
interface AwsName {
  readonly name: string;
  readonly within?: readonly string[];
  readonly unique: "region" | "account";
}

const regional = (name: string, ...within: string[]): AwsName => ({ name, within, unique: "region" });
const global = (name: string, ...within: string[]): AwsName => ({ name, within, unique: "account" });

/** Each resource type that AWS identifies by a name the configuration gives (or keeps one of per parent). */
export const AWS_NAMES: Readonly<Record<string, AwsName>> = {
  aws_s3_bucket: global("bucket"),
  // One of each per bucket: a second would silently replace the first.
  aws_s3_bucket_policy: global("bucket"),
  aws_s3_bucket_notification: global("bucket"),
  aws_s3_bucket_public_access_block: global("bucket"),
  aws_s3_bucket_versioning: global("bucket"),
  aws_s3_bucket_lifecycle_configuration: global("bucket"),
  aws_s3_bucket_server_side_encryption_configuration: global("bucket"),
  aws_s3_bucket_logging: global("bucket"),
  aws_s3_bucket_ownership_controls: global("bucket"),
  aws_iam_role: global("name"),
  aws_iam_policy: global("name"),
  aws_iam_role_policy: global("name", "role"),
  aws_dynamodb_table: regional("name"),
  aws_lambda_function: regional("function_name"),
  aws_lambda_permission: regional("statement_id", "function_name", "qualifier"),
  aws_lambda_function_event_invoke_config: regional("function_name", "qualifier"),
  aws_sns_topic: regional("name"),
  aws_sns_topic_policy: regional("arn"),
  aws_sqs_queue: regional("name"),
  aws_sqs_queue_policy: regional("queue_url"),
  aws_sqs_queue_redrive_policy: regional("queue_url"),
  aws_cloudwatch_log_group: regional("name"),
  aws_cloudwatch_metric_alarm: regional("alarm_name"),
  aws_cloudwatch_dashboard: regional("dashboard_name"),
  aws_cloudwatch_event_rule: regional("name", "event_bus_name"),
  aws_kms_alias: regional("name"),
};

/** The pipelines, so a clash names the pipeline a resource belongs to rather than the resource alone. */
const pipelines = new WeakSet<IConstruct>();
/** The stacks that already check their names: one check per stack, however many pipelines it holds. */
const checkedStacks = new WeakSet<IConstruct>();

/**
 * Refuses, at synth, a stack in which a resource of `pipeline` has the AWS name of another resource
 * (of another pipeline, or the stack's own): same type, same name, and the same region where the
 * name is regional. Only literal names are compared; a name that is a token (a reference, a module
 * variable) is known only at plan time.
 */
export function refuseNameClashes(pipeline: IConstruct): void {
  pipelines.add(pipeline);
  const stack = TerraformStack.of(pipeline);
  if (checkedStacks.has(stack)) return;
  checkedStacks.add(stack);
  stack.node.addValidation(new UniqueNames(stack));
}

/** One resource that has a literal AWS name, and what it belongs to (its pipeline, or itself). */
interface Named {
  readonly key: string;
  readonly label: string;
  readonly owner: IConstruct;
}

class UniqueNames implements IValidation {
  constructor(private readonly stack: IConstruct) {}

  validate(): string[] {
    const byKey = new Map<string, Named[]>();
    for (const named of this.stack.node.findAll().flatMap(namedResource)) byKey.set(named.key, [...(byKey.get(named.key) ?? []), named]);
    // Clashes by the two owners they are between, so two whole pipelines make one message.
    const byOwners = new Map<string, { owners: [IConstruct, IConstruct]; labels: string[] }>();
    for (const group of byKey.values()) {
      const [first, ...others] = group;
      for (const other of others) {
        if (!pipelines.has(first.owner) && !pipelines.has(other.owner)) continue;
        const owners: [IConstruct, IConstruct] = [first.owner, other.owner];
        const id = owners.map((owner) => owner.node.path).join("\0");
        const entry = byOwners.get(id) ?? { owners, labels: [] };
        entry.labels.push(first.label);
        byOwners.set(id, entry);
      }
    }
    return [...byOwners.values()].map(({ owners: [a, b], labels }) => {
      const shown = labels.slice(0, 5).join(", ") + (labels.length > 5 ? `, ... (${labels.length} in all)` : "");
      const between =
        a === b ? `The ${describe(a)} gives two of its resources` : `The ${describe(a)} and the ${describe(b)} give resources`;
      return (
        `${between} the same AWS name, which AWS refuses at apply: ${shown}. ` +
        "Give each pipeline of one environment in a stack its own namePrefix."
      );
    });
  }
}

/** The resource's literal AWS name as a key (type, scope, name), or nothing. */
function namedResource(node: IConstruct): Named[] {
  if (!TerraformResource.isTerraformResource(node)) return [];
  const naming = AWS_NAMES[node.terraformResourceType];
  if (naming === undefined) return [];
  const rendered = node.toTerraform().resource[node.terraformResourceType];
  const config: Record<string, unknown> = Object.values(rendered)[0] as Record<string, unknown>;
  // Several instances (count, for_each) or a name only the plan knows: nothing to compare at synth.
  if (config.count !== undefined || config.for_each !== undefined) return [];
  const values = [naming.name, ...(naming.within ?? [])].map((attribute) => config[attribute]);
  if (values[0] === undefined || values.some((value) => Token.isUnresolved(value) || (value !== undefined && typeof value !== "string"))) {
    return [];
  }
  // The provider's alias tells regions apart; the default provider has none.
  const provider = typeof config.provider === "string" && config.provider.includes(".") ? config.provider : "";
  const region = naming.unique === "region" ? provider : "";
  return [
    {
      key: JSON.stringify([node.terraformResourceType, region, ...values]),
      label: `${node.terraformResourceType} ${JSON.stringify(values[0])}`,
      owner: ownerOf(node),
    },
  ];
}

/** The pipeline a resource belongs to, or the resource itself. */
function ownerOf(node: IConstruct): IConstruct {
  for (let scope: IConstruct | undefined = node; scope; scope = scope.node.scope) if (pipelines.has(scope)) return scope;
  return node;
}

const describe = (owner: IConstruct): string => `${pipelines.has(owner) ? "pipeline" : "resource"} ${owner.node.path}`;
