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

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const identity = new DataAwsCallerIdentity(this, "Identity");
    const region = new DataAwsRegion(this, "Region");
    const partition = new DataAwsPartition(this, "Partition");
    this.accountId = identity.accountId;
    this.region = region.region;
    this.partition = partition.partition;
  }

  /** An ARN in this account and region. */
  arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.accountId}:${resource}`;
  }
}
