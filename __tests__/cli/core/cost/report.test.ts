// What a plan changes, priced: the difference between two estimates, by component and, as Infracost's
// diff does, by Terraform address. Two synthesized stacks stand for a plan's two sides (the deploy
// suite runs the same through `cost --plan` on real plans).
import { fromSynthesized } from "../../../../cli/core/configuration/synthesized";
import { costDifference, costReport } from "../../../../cli/core/cost/report";
import { defaultUsage } from "../../../../cli/core/cost/usage";
import { EXAMPLE_RENDITIONS } from "../../../../constructs";
import { synthStack } from "../../../helpers/synth";

describe("costDifference: turning derivatives on", () => {
  const usage = defaultUsage(1000, 12);
  const before = costReport(fromSynthesized(synthStack({ region: "us-east-1" }).tf), usage, "us-east-1");
  const after = costReport(fromSynthesized(synthStack({ region: "us-east-1", derivatives: EXAMPLE_RENDITIONS }).tf), usage, "us-east-1");

  it("lists by component what changes, the totals those of the two estimates", () => {
    // Act
    const difference = costDifference(before, after);

    // Assert
    expect(difference.changes.map((c) => c.component)).toEqual(expect.arrayContaining(["Lambda ImageDerivatives-dev", "S3 derivatives"]));
    expect(difference.beforeUsdPerMonth).toBe(before.totalUsdPerMonth);
    expect(difference.afterUsdPerMonth).toBe(after.totalUsdPerMonth);
  });

  it("lists by Terraform address what changes, each address once, summing to the same difference", () => {
    // Act
    const byResource = costDifference(before, after, true);

    // Assert
    const addresses = byResource.changes.map((c) => c.component);
    expect(addresses).toEqual(
      expect.arrayContaining(["aws_lambda_function.derivatives", "aws_s3_bucket.derivatives", "aws_sqs_queue.derivatives"]),
    );
    expect(addresses.every((a) => /^aws_[a-z0-9_]+\.[A-Za-z0-9_]+$/.test(a))).toBe(true);
    expect(new Set(addresses).size).toBe(addresses.length);
    const sum = byResource.changes.reduce((s, c) => s + c.afterUsdPerMonth - c.beforeUsdPerMonth, 0);
    expect(sum).toBeCloseTo(byResource.differenceUsdPerMonth, 1);
    expect(byResource.differenceUsdPerMonth).toBe(costDifference(before, after).differenceUsdPerMonth);
  });
});
