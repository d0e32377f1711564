import { describe, expect, it } from "vitest";
import { cronForPreset, DEFAULT_PRESET, presetFromCron } from "@/components/schedule/presets";
import { validateCron } from "@/lib/scheduler/next-run";

describe("schedule editor presets", () => {
  it.each([
    [{ kind: "every15", time: "00:00", weekday: 0 }, "*/15 * * * *"],
    [{ kind: "hourly", time: "00:00", weekday: 0 }, "0 * * * *"],
    [{ kind: "every6h", time: "00:00", weekday: 0 }, "0 */6 * * *"],
    [{ kind: "daily", time: "02:30", weekday: 0 }, "30 2 * * *"],
    [{ kind: "weekly", time: "18:05", weekday: 5 }, "5 18 * * 5"],
  ] as const)("%j writes %s, a valid cron that reopens on the same preset", (preset, cron) => {
    expect(cronForPreset(preset)).toBe(cron);
    expect(validateCron(cron).ok).toBe(true);
    const back = presetFromCron(cron, preset);
    expect(back.kind).toBe(preset.kind);
    if (preset.kind === "daily" || preset.kind === "weekly") expect(back.time).toBe(preset.time);
    if (preset.kind === "weekly") expect(back.weekday).toBe(preset.weekday);
  });

  it.each(["*/5 * * * *", "0 9 * * 1-5", "0 0 1 * *", "*/2 * * * * *", "75 2 * * *"])("shows %s as custom", (cron) => {
    expect(presetFromCron(cron).kind).toBe("custom");
  });

  it("has no cron of its own for custom or an unfinished time", () => {
    expect(cronForPreset({ ...DEFAULT_PRESET, kind: "custom" })).toBeNull();
    expect(cronForPreset({ ...DEFAULT_PRESET, kind: "daily", time: "" })).toBeNull();
  });
});
