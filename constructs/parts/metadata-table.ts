import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { DEFAULTS } from "../config/defaults";
import type { AwsContext } from "../support/aws-context";

export interface MetadataTableProps {
  /** Name of the table. */
  readonly tableName: string;
  /**
   * Customer managed KMS key that encrypts the table.
   * @default the AWS managed key for DynamoDB (`alias/aws/dynamodb`)
   */
  readonly kmsKeyArn?: string;
  /**
   * DynamoDB deletion protection: the table cannot be deleted until it is turned off.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Name of the time index (partitioned by `UploadDate`, sorted by `UploadTimestamp`).
   * @default "UploadDateIndex"
   */
  readonly timeIndexName?: string;
}

/**
 * Key attribute names of the table. The processor's items (functions/image-processor/core/
 * outcome.ts) carry them; the integration suite provisions the emulator from the synthesized
 * table and writes through the real handler, so a drift between the two fails it.
 */
export const TABLE_KEYS = {
  partitionKey: "ImageId",
  indexPartitionKey: "UploadDate",
  indexSortKey: "UploadTimestamp",
} as const;

/**
 * The image metadata table. Its time index is partitioned by day (`UploadDate`,
 * `YYYY-MM-DD`) and sorted by `UploadTimestamp` (epoch seconds), so "images uploaded on
 * day D between T1 and T2" is one Query. The original CloudFormation design's index, with the timestamp
 * as its hash key, could only answer "images uploaded in exactly this second".
 *
 * @example
 * ```ts
 * const table = new MetadataTable(stack, "Table", { tableName: "ImageMetadata-dev" }); // AWS managed key
 * // table.table.name; the UploadDateIndex answers time-range queries
 * ```
 */
export class MetadataTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: MetadataTableProps) {
    super(scope, id);

    this.table = new DynamodbTable(this, "Table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: TABLE_KEYS.partitionKey,
      attribute: [
        { name: TABLE_KEYS.partitionKey, type: "S" },
        { name: TABLE_KEYS.indexPartitionKey, type: "S" },
        { name: TABLE_KEYS.indexSortKey, type: "N" },
      ],
      globalSecondaryIndex: [
        {
          name: props.timeIndexName ?? DEFAULTS.timeIndexName,
          hashKey: TABLE_KEYS.indexPartitionKey,
          rangeKey: TABLE_KEYS.indexSortKey,
          projectionType: "ALL",
        },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: props.deletionProtection ?? DEFAULTS.deletionProtection,
      tags: { Purpose: "ImageMetadata" },
    });
  }
}

/**
 * A table's ARN from its name, which the plan knows on create (the table's `arn` only after apply),
 * so the policies that name the table show in full in the plan.
 */
export const tableArnFromName = (aws: AwsContext, tableName: string): string => aws.arn("dynamodb", `table/${tableName}`);
