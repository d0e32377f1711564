import { Cron } from "croner";

/**
 * What a schedule's cron and time zone must be, checked the same way by the API's body schema, the
 * scheduler's service and the browser's editor (through lib/scheduler/next-run.ts). Parsing and
 * DST handling are croner's (next-run.ts says which of its rules we rely on).
 *
 * No zod here: the browser's editor imports these, and zod would add some 180 kB of script to every
 * page with a schedule form. The body schema built on them is in cron.ts.
 */

export type Check<T> = { ok: true; value: T } | { ok: false; message: string };

/** 5 fields (minute resolution) or 6 (leading seconds field). A year field is not accepted. */
const CRON_MODE = "5-or-6-parts" as const;

/** A paused croner job for a pattern (throws on a bad pattern); next-run.ts computes slots with it. */
export const cronJob = (cron: string, timezone?: string) => new Cron(cron, { mode: CRON_MODE, timezone, paused: true });

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
    job = cronJob(normalized, "UTC");
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
