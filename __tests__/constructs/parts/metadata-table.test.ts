import { Testing } from "cdktf";
import { MetadataTable } from "../../../constructs/parts/metadata-table";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { onlyResource, ref, synthStack } from "../../helpers/synth";

describe("MetadataTable", () => {
  const stack = synthStack();
  const table = onlyResource(stack, "aws_dynamodb_table");

  it("is on-demand, keyed by ImageId, with point-in-time recovery", () => {
    expect(stack.json).toHaveResourceWithProperties(DynamodbTable, {
      name: "ImageMetadata-dev",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "ImageId",
      point_in_time_recovery: { enabled: true },
    });
  });

  it("is encrypted with the pipeline's customer managed key", () => {
    expect(table.server_side_encryption).toEqual({ enabled: true, kms_key_arn: ref(stack, "aws_kms_key", "arn") });
  });

  it("has a time index partitioned by day and sorted by upload time", () => {
    expect(table.global_secondary_index).toEqual([
      { name: "UploadDateIndex", hash_key: "UploadDate", range_key: "UploadTimestamp", projection_type: "ALL" },
    ]);
    expect(table.attribute).toEqual(
      expect.arrayContaining([
        { name: "ImageId", type: "S" },
        { name: "UploadDate", type: "S" },
        { name: "UploadTimestamp", type: "N" },
      ]),
    );
    expect(table.attribute).toHaveLength(3);
  });

  it("has deletion protection in prod only", () => {
    expect(table.deletion_protection_enabled).toBe(false);
    expect(onlyResource(synthStack({ environment: "prod" }), "aws_dynamodb_table").deletion_protection_enabled).toBe(true);
  });
});

describe("MetadataTable on its own (Testing.synthScope)", () => {
  it("needs only a table name, and defaults to the AWS managed key, no deletion protection and the UploadDateIndex", () => {
    const json = Testing.synthScope((scope) => new MetadataTable(scope, "Table", { tableName: "Images" }));

    expect(json).toHaveResourceWithProperties(DynamodbTable, {
      name: "Images",
      hash_key: "ImageId",
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: false,
      global_secondary_index: [expect.objectContaining({ name: "UploadDateIndex" })],
    });
  });
});
