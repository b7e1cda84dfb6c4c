import MEASURED from "../../../../cli/core/cost/requests-per-image.json";
import BUDGETS from "../../../bench/service-call-budgets.json";
import type { PipelineFacts } from "../../../../cli/core/cost/pipeline-facts";
import { monthEvents, monthRequests } from "../../../../cli/core/cost/requests";
import { defaultUsage } from "../../../../cli/core/cost/usage";
import { measureRequestsPerImage } from "../../../helpers/requests-per-image";

describe("the requests per image the estimate prices", () => {
  it("are the functions' own, measured again now: the committed figures are current", async () => {
    // Act
    const measured = await measureRequestsPerImage();

    // Assert: a change to a function's calls fails here until `npm run bench -- --write` records it.
    expect(MEASURED).toEqual(JSON.parse(JSON.stringify(measured)));
  });

  it("stay within the round-trip budgets: a typical image two, a rendition request three besides the render", () => {
    const { processor, derivatives } = MEASURED;

    // One GET, one conditional write.
    expect(processor.processed.roundTrips).toBeLessThanOrEqual(BUDGETS.typicalImage);
    expect(processor.processed.requests).toEqual({ "s3:GetObject": 1, "dynamodb:PutItem": 1 });
    expect(derivatives.rendered.roundTrips).toBeLessThanOrEqual(BUDGETS.derivativesBesidesRender);
    for (const path of Object.values(processor)) expect(path.roundTrips).toBeLessThanOrEqual(BUDGETS.corpusMax);
  });

  it("prices each event by its path: the PUTs follow the configured renditions, deletions their LIST", () => {
    // Arrange: 1,000 uploads a day, 1 % with a notice, 10 % deleted; three renditions configured.
    const usage = { ...defaultUsage(1000, 12), deletionRate: 0.1 };
    const renditions = [1, 2, 3].map((i) => ({ name: `r${i}`, width: 100, height: 100, fit: "inside" }));
    const facts = { derivatives: { renditions } } as unknown as PipelineFacts;
    const events = monthEvents(usage, 1);

    // Act
    const { processor, derivatives } = monthRequests(facts, events);

    // Assert
    expect(processor["s3:GetObject"]).toBeCloseTo(events.uploads, 6);
    expect(processor["sns:Publish"]).toBeCloseTo(0.01 * events.uploads, 6);
    expect(processor["s3:ListObjectVersions"]).toBeCloseTo(
      MEASURED.processor.deleted.requests["s3:ListObjectVersions"] * 0.1 * events.uploads,
      6,
    );
    expect(processor["sqs:SendMessage"]).toBeCloseTo(0.99 * events.uploads + 0.1 * events.uploads, 6);
    expect(derivatives["s3:PutObject"]).toBeCloseTo(3 * 0.99 * events.uploads, 6);
    expect(derivatives["dynamodb:GetItem"]).toBeCloseTo(0.99 * events.uploads, 6);
  });
});
