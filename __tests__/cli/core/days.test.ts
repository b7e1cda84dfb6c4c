import { daysBetween, lastDays, parseDate } from "../../../cli/core/days";

describe("days of the time index", () => {
  it("lists the UTC days of a range, both ends included, across a month end", () => {
    expect(daysBetween(new Date("2026-11-29T23:30:00Z"), new Date("2026-12-01T00:10:00Z"))).toEqual([
      "2026-11-29",
      "2026-11-30",
      "2026-12-01",
    ]);
  });

  it("gives the last N days up to today", () => {
    expect(lastDays(3, new Date("2026-03-01T05:00:00Z"))).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });

  it.each(["2026-11-28", "2026-11-28T10:00:00Z", "2026-11-28T10:00:00+02:00"])("reads %s as a date", (text) => {
    expect(parseDate(text)).toBeInstanceOf(Date);
  });

  it.each(["yesterday", "28/11/2026", "2026-13-40", ""])("refuses %p", (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});
