import { Cron } from "croner";
import cronstrue from "cronstrue";

/**
 * Cron and time-zone rules shared by the API, the scheduler and the browser editor, so the preview a
 * user sees is computed by the same code (and library) that later fires the runs. Nothing here
 * touches the server: the editor imports it too.
 *
 * Parsing and DST handling are croner's. Its rules, which we rely on and test:
 * - a fixed-time job (`30 2 * * *`) whose local time falls in a spring-forward gap runs at the first
 *   valid instant after the gap, and runs once when fall-back repeats its time;
 * - an interval job (`0 * * * *`, `*\/15 * * * *`) skips the local times that do not exist and runs
 *   on both occurrences of a repeated hour, so it keeps its real-time rhythm.
 */

export type Check<T> = { ok: true; value: T } | { ok: false; message: string };

/** 5 fields (minute resolution) or 6 (leading seconds field). A year field is not accepted. */
const CRON_MODE = "5-or-6-parts" as const;

const makeCron = (cron: string, timezone?: string) =>
  new Cron(cron, { mode: CRON_MODE, timezone, paused: true });

/** Collapses runs of whitespace so `0  *  * * *` and `0 * * * *` are stored the same way. */
export const normalizeCron = (cron: string): string => cron.trim().split(/\s+/).join(" ");

export function validateCron(cron: string): Check<string> {
  const normalized = normalizeCron(cron ?? "");
  if (!normalized) return { ok: false, message: "Enter a cron expression" };
  const fields = normalized.split(" ").length;
  if (!normalized.startsWith("@") && fields !== 5 && fields !== 6) {
    return { ok: false, message: "Use 5 fields (minute hour day month weekday), or 6 with a leading seconds field" };
  }
  let job: Cron;
  try {
    job = makeCron(normalized, "UTC");
  } catch (e) {
    return { ok: false, message: cronErrorMessage(e) };
  }
  // Patterns like `0 0 30 2 *` parse but never match a date; saving one would silently never run.
  if (!job.nextRun(new Date())) return { ok: false, message: "This expression never matches a date" };
  return { ok: true, value: normalized };
}

/** croner prefixes its messages with the class name; users only need the reason. */
const cronErrorMessage = (e: unknown): string => {
  const raw = e instanceof Error ? e.message : String(e);
  const reason = raw.replace(/^Cron\w*:\s*/, "");
  return `Invalid cron expression: ${reason}`;
};

let knownZones: Map<string, string> | undefined;
const zoneSpellings = (): Map<string, string> => {
  if (!knownZones) {
    const names = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    knownZones = new Map(["UTC", ...names].map((n) => [n.toLowerCase(), n]));
  }
  return knownZones;
};

/** Every IANA zone this runtime knows, `UTC` first: the editor's picker offers these. */
export const timeZoneNames = (): string[] => [...new Set(zoneSpellings().values())];

/**
 * Accepts any IANA zone name the runtime's Intl knows (aliases like `US/Eastern` included) and returns
 * it in its usual spelling (`europe/berlin` → `Europe/Berlin`). UTC offsets such as `+02:00` are not
 * zones: they would silently ignore DST, which is the point of picking a zone.
 */
export function validateTimezone(tz: string): Check<string> {
  const name = (tz ?? "").trim();
  if (!name) return { ok: false, message: "Choose a time zone" };
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(name)) {
    return { ok: false, message: `Unknown time zone "${name}"; use an IANA name such as Europe/Berlin` };
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
  } catch {
    return { ok: false, message: `Unknown time zone "${name}"; use an IANA name such as Europe/Berlin` };
  }
  return { ok: true, value: zoneSpellings().get(name.toLowerCase()) ?? name };
}

/** The first slot strictly after `from`, or null when the pattern has no further match. */
export function computeNextRun(cron: string, timezone: string, from: Date): Date | null {
  return makeCron(normalizeCron(cron), timezone).nextRun(from);
}

/** The next `n` slots strictly after `from`, in order. */
export function nextRuns(cron: string, timezone: string, from: Date, n: number): Date[] {
  return makeCron(normalizeCron(cron), timezone).nextRuns(n, from);
}

/** A sentence for people ("At 02:30, only on Monday"), or null when cronstrue cannot read the pattern. */
export function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(normalizeCron(cron), { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}
