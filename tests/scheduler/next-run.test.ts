import { describe, expect, it } from "vitest";
import { computeNextRun, describeCron, nextRuns, validateCron, validateTimezone } from "@/lib/scheduler/next-run";

/** Slots as ISO strings, the easiest form to read against the DST tables in the comments. */
const runs = (cron: string, tz: string, from: string, n: number) => nextRuns(cron, tz, new Date(from), n).map((d) => d.toISOString());

const HOUR = 3_600_000;

// 2025 transitions used below:
//   Europe/Berlin     spring 2025-03-30 01:00Z (02:00 CET → 03:00 CEST), fall 2025-10-26 01:00Z (03:00 CEST → 02:00 CET)
//   America/New_York  spring 2025-03-09 07:00Z (02:00 EST → 03:00 EDT), fall 2025-11-02 06:00Z (02:00 EDT → 01:00 EST)

describe("Europe/Berlin", () => {
  it("a daily 02:30 job runs at 03:00 CEST on the spring-forward day, when 02:30 does not exist", () => {
    expect(runs("30 2 * * *", "Europe/Berlin", "2025-03-28T12:00:00Z", 3)).toEqual([
      "2025-03-29T01:30:00.000Z", // 02:30 CET
      "2025-03-30T01:00:00.000Z", // the gap: first valid instant after it, 03:00 CEST
      "2025-03-31T00:30:00.000Z", // 02:30 CEST
    ]);
  });

  it("a daily 02:30 job runs once on the fall-back day, although 02:30 happens twice", () => {
    expect(runs("30 2 * * *", "Europe/Berlin", "2025-10-25T12:00:00Z", 3)).toEqual([
      "2025-10-26T00:30:00.000Z", // the first 02:30 (CEST); the second (01:30Z, CET) is not a slot
      "2025-10-27T01:30:00.000Z",
      "2025-10-28T01:30:00.000Z",
    ]);
  });

  it("an hourly job keeps firing every real hour across fall-back: 25 runs on that local day", () => {
    const slots = nextRuns("0 * * * *", "Europe/Berlin", new Date("2025-10-25T21:59:00Z"), 26);
    // Local 2025-10-26 runs from 2025-10-25T22:00Z (00:00 CEST) to 2025-10-26T23:00Z (00:00 CET next day).
    const onThatDay = slots.filter((d) => d < new Date("2025-10-26T23:00:00Z"));
    expect(onThatDay).toHaveLength(25);
    expect(onThatDay.slice(2, 5).map((d) => d.toISOString())).toEqual([
      "2025-10-26T00:00:00.000Z", // 02:00 CEST
      "2025-10-26T01:00:00.000Z", // 02:00 CET, the repeated hour
      "2025-10-26T02:00:00.000Z", // 03:00 CET
    ]);
    for (let i = 1; i < slots.length; i++) expect(slots[i].getTime() - slots[i - 1].getTime()).toBe(HOUR);
  });

  it("an hourly job skips the missing 02:00 on spring-forward: 23 runs on that local day", () => {
    const slots = nextRuns("0 * * * *", "Europe/Berlin", new Date("2025-03-29T22:59:00Z"), 24);
    const onThatDay = slots.filter((d) => d < new Date("2025-03-30T22:00:00Z"));
    expect(onThatDay).toHaveLength(23);
    expect(onThatDay.slice(0, 3).map((d) => d.toISOString())).toEqual([
      "2025-03-29T23:00:00.000Z", // 00:00 CET
      "2025-03-30T00:00:00.000Z", // 01:00 CET
      "2025-03-30T01:00:00.000Z", // 03:00 CEST: 02:00 never happened
    ]);
  });

  it("a 09:00 job stays at 09:00 local time, so its UTC instant moves by an hour", () => {
    expect(runs("0 9 * * *", "Europe/Berlin", "2025-03-29T12:00:00Z", 2)).toEqual(["2025-03-30T07:00:00.000Z", "2025-03-31T07:00:00.000Z"]);
    expect(computeNextRun("0 9 * * *", "Europe/Berlin", new Date("2025-03-29T00:00:00Z"))?.toISOString()).toBe("2025-03-29T08:00:00.000Z");
  });
});

describe("America/New_York", () => {
  it("a daily 02:30 job runs at 03:00 EDT on the spring-forward day", () => {
    expect(runs("30 2 * * *", "America/New_York", "2025-03-07T12:00:00Z", 3)).toEqual([
      "2025-03-08T07:30:00.000Z", // 02:30 EST
      "2025-03-09T07:00:00.000Z", // 03:00 EDT
      "2025-03-10T06:30:00.000Z", // 02:30 EDT
    ]);
  });

  it("a daily 01:30 job runs once on the fall-back day, at the first 01:30", () => {
    expect(runs("30 1 * * *", "America/New_York", "2025-11-01T12:00:00Z", 3)).toEqual([
      "2025-11-02T05:30:00.000Z", // 01:30 EDT; 01:30 EST (06:30Z) is skipped
      "2025-11-03T06:30:00.000Z",
      "2025-11-04T06:30:00.000Z",
    ]);
  });

  it("an hourly job fires on both 01:00s of the fall-back night", () => {
    expect(runs("0 * * * *", "America/New_York", "2025-11-02T04:30:00Z", 4)).toEqual([
      "2025-11-02T05:00:00.000Z", // 01:00 EDT
      "2025-11-02T06:00:00.000Z", // 01:00 EST
      "2025-11-02T07:00:00.000Z", // 02:00 EST
      "2025-11-02T08:00:00.000Z",
    ]);
  });

  it("a 15-minute job jumps straight from 01:45 EST to 03:00 EDT", () => {
    expect(runs("*/15 * * * *", "America/New_York", "2025-03-09T06:40:00Z", 3)).toEqual([
      "2025-03-09T06:45:00.000Z",
      "2025-03-09T07:00:00.000Z",
      "2025-03-09T07:15:00.000Z",
    ]);
  });

  it("a weekly Monday 09:00 job follows local time across fall-back", () => {
    expect(runs("0 9 * * 1", "America/New_York", "2025-10-25T00:00:00Z", 2)).toEqual([
      "2025-10-27T13:00:00.000Z", // 09:00 EDT
      "2025-11-03T14:00:00.000Z", // 09:00 EST
    ]);
  });
});

describe("computeNextRun", () => {
  it("returns the slot strictly after `from`, so a slot that just fired is not returned again", () => {
    const slot = new Date("2025-06-01T10:00:00Z");
    expect(computeNextRun("0 * * * *", "UTC", slot)?.toISOString()).toBe("2025-06-01T11:00:00.000Z");
  });

  it("supports a leading seconds field", () => {
    expect(runs("*/2 * * * * *", "UTC", "2025-06-01T10:00:00.500Z", 3)).toEqual([
      "2025-06-01T10:00:02.000Z",
      "2025-06-01T10:00:04.000Z",
      "2025-06-01T10:00:06.000Z",
    ]);
  });

  it("uses the zone, not the server's clock zone", () => {
    expect(computeNextRun("0 0 * * *", "Asia/Tokyo", new Date("2025-06-01T12:00:00Z"))?.toISOString()).toBe("2025-06-01T15:00:00.000Z");
  });
});

describe("validateCron", () => {
  it.each([
    ["*/15 * * * *", "*/15 * * * *"],
    ["  0   */6 * * * ", "0 */6 * * *"],
    ["*/2 * * * * *", "*/2 * * * * *"],
    ["0 9 * * MON-FRI", "0 9 * * MON-FRI"],
    ["@daily", "@daily"],
  ])("accepts %j as %j", (input, stored) => {
    expect(validateCron(input)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ["", /enter a cron/i],
    ["every day", /fields/i],
    ["61 * * * *", /minute/i],
    ["* * * *", /fields/i],
    ["0 0 * * * * 2030", /fields/i],
    ["0 0 30 2 *", /never/i],
  ])("rejects %j with a reason", (input, reason) => {
    const check = validateCron(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(reason);
  });
});

describe("validateTimezone", () => {
  it.each([
    ["Europe/Berlin", "Europe/Berlin"],
    ["europe/berlin", "Europe/Berlin"],
    ["UTC", "UTC"],
    ["America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"],
  ])("accepts %j as %j", (input, stored) => {
    expect(validateTimezone(input)).toEqual({ ok: true, value: stored });
  });

  it.each(["", "Mars/Olympus_Mons", "+02:00", "Europe/Berlin; drop table", "CEST2"])("rejects %j", (input) => {
    expect(validateTimezone(input).ok).toBe(false);
  });
});

describe("describeCron", () => {
  it("reads presets as sentences, in 24-hour time", () => {
    expect(describeCron("*/15 * * * *")).toBe("Every 15 minutes");
    expect(describeCron("30 2 * * *")).toBe("At 02:30");
    expect(describeCron("0 9 * * 1")).toMatch(/09:00.*Monday/);
  });

  it("returns null for text it cannot read", () => {
    expect(describeCron("not a cron")).toBeNull();
  });
});
