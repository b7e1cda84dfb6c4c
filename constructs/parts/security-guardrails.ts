import type { IConstruct, IValidation } from "constructs";
import { Annotations, TerraformDataSource, TerraformResource, Token } from "cdktf";

interface Block {
  readonly type: string;
  readonly path: string;
  readonly config: Record<string, any>;
}

const asList = (value: unknown): any[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** One rule per security property of the pipeline: the blocks of a type, and what is wrong with one. */
const RULES: Record<string, (config: Record<string, any>) => string | undefined> = {
  aws_s3_bucket_public_access_block: (c) =>
    ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((flag) => c[flag] === true)
      ? undefined
      : "all four public access blocks must be true",
  aws_s3_bucket: (c) => (c.acl && c.acl !== "private" ? `acl ${JSON.stringify(c.acl)} would make objects public` : undefined),
  aws_s3_bucket_acl: () => "ACLs are disabled (BucketOwnerEnforced); an ACL resource can only widen access",
  aws_s3_bucket_server_side_encryption_configuration: (c) => {
    const algorithms = asList(c.rule).map((rule) => asList(rule.apply_server_side_encryption_by_default)[0]?.sse_algorithm);
    // A choice made at plan time (the module's bucket_kms_key_arn) is between AES256 and aws:kms.
    return algorithms.length > 0 && algorithms.every((a) => Token.isUnresolved(a) || ["AES256", "aws:kms", "aws:kms:dsse"].includes(a))
      ? undefined
      : "default encryption must be AES256 or aws:kms";
  },
  aws_dynamodb_table: (c) => (asList(c.server_side_encryption)[0]?.enabled === true ? undefined : "server-side encryption must be enabled"),
  aws_sns_topic: (c) => (c.kms_master_key_id ? undefined : "the topic must be encrypted with a KMS key"),
  aws_sqs_queue: (c) => (c.kms_master_key_id || c.sqs_managed_sse_enabled ? undefined : "the queue must be encrypted"),
  aws_lambda_permission: (c) =>
    c.source_arn && c.source_account ? undefined : "an invoke permission must be scoped by source_arn and source_account",
  aws_iam_role: (c) => openStatements(c.assume_role_policy),
  aws_iam_role_policy: (c) => openStatements(c.policy),
  aws_s3_bucket_policy: (c) => openStatements(c.policy),
  aws_sqs_queue_policy: (c) => openStatements(c.policy),
  aws_sns_topic_policy: (c) => openStatements(c.policy),
  aws_kms_key: (c) => openStatements(c.policy),
};

/**
 * Statements of a policy (IAM JSON, as constructs/support/policy-document.ts writes it) that allow any
 * principal without a condition. A policy that is not JSON here (a Terraform expression) is left to
 * the IAM simulation tests.
 */
function openStatements(policy: unknown): string | undefined {
  if (typeof policy !== "string") return undefined;
  let document: { Statement?: unknown };
  try {
    document = JSON.parse(policy);
  } catch {
    return undefined;
  }
  const anyone = (principal: any) =>
    principal === "*" || (principal && typeof principal === "object" && Object.values(principal).some((ids) => asList(ids).includes("*")));
  const open = asList(document.Statement).filter(
    (s: any) => (s.Effect ?? "Allow") === "Allow" && anyone(s.Principal) && s.Condition === undefined,
  );
  return open.length > 0 ? `statement ${open.map((s: any) => s.Sid).join(", ")} allows any principal without a condition` : undefined;
}

/**
 * Checks, at synth, the final configuration of every resource of the pipeline and the policies
 * written into them, escape-hatch overrides included, and refuses one that would weaken security:
 * public access, missing encryption, wildcard principals, an unscoped invoke permission.
 * With `allowInsecureOverrides` the findings become warnings instead.
 *
 * @example
 * ```ts
 * // The pipeline adds it to itself; on a scope of your own, synth then refuses what would weaken it:
 * scope.node.addValidation(new SecurityGuardrails(scope, false));
 * ```
 */
export class SecurityGuardrails implements IValidation {
  constructor(
    private readonly scope: IConstruct,
    private readonly allowInsecureOverrides: boolean,
  ) {}

  validate(): string[] {
    const problems = this.blocks().flatMap(({ type, path, config }) => {
      const problem = RULES[type]?.(config);
      return problem ? [`${path} (${type}): ${problem}`] : [];
    });
    if (problems.length === 0) return [];
    const advice = "Fix the configuration, or set allowInsecureOverrides: true to accept it (docs/security.md).";
    if (this.allowInsecureOverrides) {
      for (const problem of problems) Annotations.of(this.scope).addWarning(`Insecure configuration accepted: ${problem}`);
      return [];
    }
    return problems.map((problem) => `Insecure configuration refused: ${problem}. ${advice}`);
  }

  /** Each resource and data source as it will be synthesized (overrides applied; references left as tokens). */
  private blocks(): Block[] {
    return this.scope.node
      .findAll()
      .filter(
        (node): node is TerraformResource | TerraformDataSource => node instanceof TerraformResource || node instanceof TerraformDataSource,
      )
      .flatMap((element) => {
        const json = element.toTerraform();
        const byName: Record<string, Record<string, any>> = (json.resource ?? json.data)[element.terraformResourceType];
        return Object.values(byName).map((config) => ({ type: element.terraformResourceType, path: element.node.path, config }));
      });
  }
}
