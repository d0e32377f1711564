import cronstrue from "cronstrue";
import { cronJob, normalizeCron } from "@/lib/contracts/cron-rules";

// The rules themselves are part of the API contract; the browser editor imports them from here.
export { type Check, normalizeCron, timeZoneNames, validateCron, validateTimezone } from "@/lib/contracts/cron-rules";

/**
 * Next runs of a schedule, shared by the API, the scheduler and the browser editor, so the preview a
 * user sees is computed by the same code (and library) that later fires the runs. Nothing here
 * touches the server: the editor imports it too.
 *
 * Parsing and DST handling are croner's. Its rules, which we rely on and test:
 * - a fixed-time job (`30 2 * * *`) whose local time falls in a spring-forward gap runs at the first
 *   valid instant after the gap, and runs once when fall-back repeats its time;
 * - an interval job (`0 * * * *`, `*\/15 * * * *`) skips the local times that do not exist and runs
 *   on both occurrences of a repeated hour, so it keeps its real-time rhythm.
 */

/** The first slot strictly after `from`, or null when the pattern has no further match. */
export function computeNextRun(cron: string, timezone: string, from: Date): Date | null {
  return cronJob(normalizeCron(cron), timezone).nextRun(from);
}

/** The next `n` slots strictly after `from`, in order. */
export function nextRuns(cron: string, timezone: string, from: Date, n: number): Date[] {
  return cronJob(normalizeCron(cron), timezone).nextRuns(n, from);
}

/** A sentence for people ("At 02:30, only on Monday"), or null when cronstrue cannot read the pattern. */
export function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(normalizeCron(cron), { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}
