import { fromSynthesized } from "../../../../cli/core/configuration/synthesized";
import { architectureOf } from "../../../../cli/core/diagram/architecture";
import { FONT_STACK } from "../../../../cli/core/diagram/look";
import { toSvg } from "../../../../cli/core/diagram/svg";
import { pictureNodes, smallestTextPx } from "../../../helpers/diagram-svg";
import { synthStack } from "../../../helpers/synth";

describe("the SVG picture: the diagram with its legend underneath", () => {
  let svg: string;
  beforeAll(async () => {
    svg = await toSvg(architectureOf(fromSynthesized(synthStack().tf)), "t");
  });

  it("draws one picture whose ids are each used once, its text in a font stack whose first (widest) font sized the shapes", () => {
    const ids = [...svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);

    expect(svg.match(/<svg /g)).toHaveLength(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set([...svg.matchAll(/font-family="([^"]+)"/g)].map((m) => m[1]))).toEqual(new Set([FONT_STACK]));
    expect(smallestTextPx(svg)).toBeGreaterThanOrEqual(10);
  });

  it("explains the kinds of node and edge the picture has, and no other", () => {
    const legend = svg.slice(svg.indexOf('id="legend_'));
    const samples = [...legend.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

    expect(samples).toEqual(expect.arrayContaining(["S3 bucket", "Lambda function", "SQS queue", "a function reads", "where failures go"]));
    // The dev stack has no EventBridge rule and no Batch Operations role; nothing is planned.
    expect(samples.filter((s) => /EventBridge|IAM role|by the plan/.test(s))).toEqual([]);
    expect(pictureNodes(svg).length).toBeGreaterThan(5);
  });
});
