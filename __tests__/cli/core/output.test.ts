import { parse } from "csv-parse/sync";
import { render } from "../../../cli/core/output";

describe("render", () => {
  const rows = [
    { ObjectKey: 'a, "quoted".jpg', Status: "rejected", Width: undefined },
    { ObjectKey: "b.png", Status: "processed", Width: 24 },
  ];

  it("writes CSV that a CSV reader reads back, with a header", () => {
    const csv = render(rows, ["ObjectKey", "Status", "Width"], "csv");

    expect(parse(csv)).toEqual([
      ["ObjectKey", "Status", "Width"],
      ['a, "quoted".jpg', "rejected", ""],
      ["b.png", "processed", "24"],
    ]);
  });

  it("writes one JSON object per line", () => {
    const lines = render(rows, ["ObjectKey"], "jsonl").trim().split("\n");

    expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(rows)));
  });

  it("draws a table with every value", () => {
    const table = render(rows, ["ObjectKey", "Status", "Width"], "table");

    for (const text of ["ObjectKey", "rejected", "b.png", "24"]) expect(table).toContain(text);
  });
});
