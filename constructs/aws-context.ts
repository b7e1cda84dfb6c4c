import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";

/**
 * Account, region and partition of the AWS provider in scope, read at plan time so the
 * constructs work under any provider configuration (including a module's inherited one).
 */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const identity = new DataAwsCallerIdentity(this, "Identity");
    const region = new DataAwsRegion(this, "Region");
    const partition = new DataAwsPartition(this, "Partition");
    this.accountId = identity.accountId;
    this.region = region.region;
    this.partition = partition.partition;
    this.urlSuffix = partition.dnsSuffix;
  }

  /** An ARN in this account and region. */
  arn(service: string, resource: string, options: { region?: boolean; account?: boolean } = {}): string {
    const region = options.region === false ? "" : this.region;
    const account = options.account === false ? "" : this.accountId;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }
}
