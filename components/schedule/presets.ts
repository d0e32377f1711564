/**
 * The editor's presets and the crons they stand for. `presetFromCron` only recognises the exact
 * shapes these presets write (so a saved schedule reopens on its preset); anything else is shown
 * as a custom expression. Parsing proper is croner's job (lib/scheduler/next-run.ts).
 */
export type PresetKind = "every15" | "hourly" | "every6h" | "daily" | "weekly" | "custom";
export type Preset = { kind: PresetKind; /** HH:MM, 24-hour */ time: string; /** 0 = Sunday */ weekday: number };

export const PRESETS: { kind: PresetKind; label: string }[] = [
  { kind: "every15", label: "Every 15 minutes" },
  { kind: "hourly", label: "Hourly" },
  { kind: "every6h", label: "Every 6 hours" },
  { kind: "daily", label: "Daily" },
  { kind: "weekly", label: "Weekly" },
  { kind: "custom", label: "Custom" },
];

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const FIXED: Partial<Record<PresetKind, string>> = {
  every15: "*/15 * * * *",
  hourly: "0 * * * *",
  every6h: "0 */6 * * *",
};

export const DEFAULT_PRESET: Preset = { kind: "daily", time: "02:00", weekday: 1 };

const pad = (n: number) => String(n).padStart(2, "0");

/** The cron a preset writes; null for `custom`, whose cron is whatever the user typed. */
export function cronForPreset(p: Preset): string | null {
  const fixed = FIXED[p.kind];
  if (fixed) return fixed;
  const [h, m] = p.time.split(":").map(Number);
  if (!Number.isInteger(h) || !Number.isInteger(m)) return null;
  if (p.kind === "daily") return `${m} ${h} * * *`;
  if (p.kind === "weekly") return `${m} ${h} * * ${p.weekday}`;
  return null;
}

const TIMED = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-6])$/;

/** The preset that writes exactly this cron, or `custom` (keeping the other preset fields as they were). */
export function presetFromCron(cron: string, previous: Preset = DEFAULT_PRESET): Preset {
  const normalized = cron.trim().split(/\s+/).join(" ");
  for (const [kind, value] of Object.entries(FIXED)) {
    if (value === normalized) return { ...previous, kind: kind as PresetKind };
  }
  const timed = TIMED.exec(normalized);
  if (timed) {
    const [m, h] = [Number(timed[1]), Number(timed[2])];
    if (m < 60 && h < 24) {
      const time = `${pad(h)}:${pad(m)}`;
      if (timed[3] === "*") return { ...previous, kind: "daily", time };
      return { ...previous, kind: "weekly", time, weekday: Number(timed[3]) };
    }
  }
  return { ...previous, kind: "custom" };
}
