import MEASURED from "../../../../cli/core/cost/requests-per-image.json";
import BUDGETS from "../../../bench/service-call-budgets.json";
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
});
