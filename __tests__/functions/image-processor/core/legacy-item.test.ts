import { execFileSync } from "node:child_process";
import { legacyImageId } from "../../../../functions/image-processor/core/legacy-item";
import { imageId } from "../../../../functions/shared/image-id";

// The reference is the original CloudFormation design's own expression, run by Python: hashlib.md5(f"{bucket}/{key}".encode()).hexdigest().
const pythonImageIds = (pairs: [string, string][]): string[] =>
  JSON.parse(
    execFileSync(
      "python3",
      [
        "-c",
        'import hashlib, json, sys\nprint(json.dumps([hashlib.md5(f"{b}/{k}".encode()).hexdigest() for b, k in json.loads(sys.argv[1])]))',
        JSON.stringify(pairs),
      ],
      {
        encoding: "utf8",
      },
    ),
  );

describe("legacyImageId", () => {
  it("is the id the original CloudFormation design's Python function gave a key, for spaces, plus signs, non-ASCII and emoji keys", () => {
    const pairs: [string, string][] = [
      ["image-storage-bucket-dev-123456789012", "cat.jpg"],
      ["image-storage-bucket-dev-123456789012", "holiday 2025/beach + sun.JPG"],
      ["image-storage-bucket-prod-123456789012", "Zürich/straße/ñandú.png"],
      ["b", "emoji/🐈‍⬛.jpeg"],
    ];

    expect(pairs.map(([bucket, key]) => legacyImageId(bucket, key))).toEqual(pythonImageIds(pairs));
  });

  it("can never equal a version's id (32 hexadecimal digits against 64)", () => {
    expect(legacyImageId("b", "k.jpg")).toMatch(/^[0-9a-f]{32}$/);
    expect(imageId("b", "k.jpg", "v1")).toMatch(/^[0-9a-f]{64}$/);
  });
});
