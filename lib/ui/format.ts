const nf = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const formatNumber = (n: number | undefined): string => (n === undefined ? "—" : nf.format(n));
export const formatCompact = (n: number): string => (n < 10_000 ? nf.format(n) : compact.format(n));

/** 0.4s, 12s, 3m 05s, 2h 07m. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || Number.isNaN(seconds)) return "—";
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Seconds between two instants (end defaults to now), for jobs still running. */
export function secondsBetween(start: string | undefined, end: string | undefined, now: number): number | undefined {
  if (!start) return undefined;
  return Math.max(0, ((end ? Date.parse(end) : now) - Date.parse(start)) / 1000);
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "just now", "3 minutes ago", "in 2 hours". */
export function formatRelative(iso: string | undefined | null, now: number): string {
  if (!iso) return "—";
  const diff = (Date.parse(iso) - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 10) return diff < 0 ? "just now" : "in a few seconds";
  if (abs < 60) return rtf.format(Math.round(diff), "second");
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(Math.round(diff / 60), "minute");
}

const dtf = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
export const formatDateTime = (iso: string | undefined | null): string => (iso ? dtf.format(new Date(iso)) : "—");

export const shortId = (id: string): string => `${id.slice(0, 6)}…${id.slice(-4)}`;

export const plural = (n: number, one: string, many = `${one}s`) => `${nf.format(n)} ${n === 1 ? one : many}`;
