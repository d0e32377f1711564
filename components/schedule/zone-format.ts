/** Formatting instants in the schedule's own zone, which may differ from the viewer's. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "2-digit",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      ...(seconds ? { second: "2-digit" } : {}),
      timeZoneName: "short",
    });
    formatters.set(key, f);
  }
  return f;
}

/** "Sun, 30 Mar 2025, 03:00 CEST" in `timeZone`; seconds only when the cron has a seconds field. */
export function formatInZone(instant: Date | string, timeZone: string, seconds = false): string {
  try {
    return formatter(timeZone, seconds).format(new Date(instant));
  } catch {
    return new Date(instant).toISOString();
  }
}

let offsets: Map<string, string> | undefined;

/** "UTC+01:00" for a zone right now, cached: the picker labels hundreds of zones. */
export function zoneOffset(timeZone: string): string {
  offsets ??= new Map();
  let label = offsets.get(timeZone);
  if (label === undefined) {
    try {
      const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
        .formatToParts(new Date())
        .find((p) => p.type === "timeZoneName")?.value;
      label = part === "GMT" || !part ? "UTC" : part.replace("GMT", "UTC");
    } catch {
      label = "";
    }
    offsets.set(timeZone, label);
  }
  return label;
}

/** The viewer's own zone, the sensible default for a new schedule. */
export const browserTimeZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
};

/** Whether a cron has the optional leading seconds field. */
export const hasSecondsField = (cron: string): boolean => cron.trim().split(/\s+/).length === 6;
