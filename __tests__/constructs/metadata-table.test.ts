import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { onlyResource, ref, synthStack } from "../helpers/synth";

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
