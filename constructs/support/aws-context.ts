import { Construct } from "constructs";
import { Fn, TerraformLocal, Token } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

/** The console's host in the partitions that have their own; every other partition's is console.aws.amazon.com. */
const CONSOLE_HOSTS = { "aws-cn": "console.amazonaws.cn", "aws-us-gov": "console.amazonaws-us-gov.com" };

/**
 * Account, region and partition of the AWS provider in scope, read at plan time so the
 * constructs work under any provider configuration (including a module's inherited one).
 *
 * @example
 * ```ts
 * const aws = new AwsContext(stack, "Aws");
 * // aws.accountId, aws.region, aws.partition: read from the provider in scope at plan time
 * ```
 */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  private consoleHostLocal?: TerraformLocal;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const identity = new DataAwsCallerIdentity(this, "Identity");
    const region = new DataAwsRegion(this, "Region");
    const partition = new DataAwsPartition(this, "Partition");
    this.accountId = identity.accountId;
    // `region` is 6.x's name for 5.x's `name` (deprecated in 6.x, like `id`). A lookup on the
    // whole object reads whichever this provider has, with no reference to a missing or
    // deprecated attribute, so the configuration validates cleanly on both.
    // A local, so the value is a plain reference wherever it is embedded (in JSON documents too).
    this.region = new TerraformLocal(
      this,
      "RegionName",
      `\${lookup(${region.fqn}, "region", lookup(${region.fqn}, "name", null))}`,
    ).asString;
    this.partition = partition.partition;
  }

  /** The AWS console's host in this partition (China and GovCloud have their own); a local made on first use. */
  get consoleHost(): string {
    this.consoleHostLocal ??= new TerraformLocal(this, "ConsoleHost", Fn.lookup(CONSOLE_HOSTS, this.partition, "console.aws.amazon.com"));
    return this.consoleHostLocal.asString;
  }

  /** A bucket's ARN from its name (S3 ARNs hold neither region nor account). */
  bucketArn(bucketName: string): string {
    return `arn:${this.partition}:s3:::${bucketName}`;
  }

  /** An ARN in this account and region. */
  arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  /** The ARNs in this account and region of `<prefix><name>` for each name; a list the plan knows only as a whole stays one (`formatlist`). */
  arns(service: string, prefix: string, names: readonly string[]): string[] {
    if (!Token.isUnresolved(names)) return names.map((name) => this.arn(service, `${prefix}${name}`));
    // The references as arguments: a reference in a string given to a function is an escape sequence to cdktf.
    return Token.asList(Fn.formatlist(`arn:%s:${service}:%s:%s:${prefix}%s`, [this.partition, this.region, this.accountId, names]));
  }
}
