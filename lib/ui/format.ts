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

/**
 * "just now", "3 minutes ago", "in 2 hours". `past`: the instant is an event that has happened (a
 * checkpoint written, a job created), so one slightly ahead of this browser's clock — the clock
 * ticks once a second and the server's may run a little ahead — reads "just now", not as future.
 */
export function formatRelative(iso: string | undefined | null, now: number, opts: { past?: boolean } = {}): string {
  if (!iso) return "—";
  let diff = (Date.parse(iso) - now) / 1000;
  if (opts.past && diff > 0) diff = diff < 60 ? 0 : diff;
  const abs = Math.abs(diff);
  // Under a second either way is the clock's own tick: never "in a few seconds".
  if (abs < 10) return diff < 1 ? "just now" : "in a few seconds";
  if (abs < 60) return rtf.format(Math.round(diff), "second");
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(Math.round(diff / 60), "minute");
}

/** The one clock format of the console: 24-hour, "23 Nov 2026, 14:05:09" (the schedule editor takes HH:MM too). */
const dtf = new Intl.DateTimeFormat("en-GB", {
  hourCycle: "h23",
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

/** A table's key as a person reads it: `id`, or `order_id + line` for a composite key. */
export const keyLabel = (key: string | string[]): string => (typeof key === "string" ? key : key.join(" + "));

// ---- checkpoints in words ------------------------------------------------------------------

/** What the sync's config says about a table's keys (postgres sources name them; sample ones use `id`). */
export type CheckpointKeys = { primaryKey?: string | string[]; cursorColumn?: string };

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** A cursor value as a person reads it: "2026-11-23 10:00" for timestamps, "5,000" for numbers. */
export function formatCursorValue(v: unknown): string {
  if (typeof v === "number") return nf.format(v);
  if (typeof v !== "string") return JSON.stringify(v);
  if (/^-?\d+$/.test(v) && v.length <= 15) return nf.format(Number(v));
  const ts = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(v);
  if (ts) {
    const [, date, hm, sec, , zone] = ts;
    const z = zone && !/^(Z|[+-]00(:?00)?)$/.test(zone) ? ` ${zone}` : zone ? " UTC" : "";
    return `${date} ${hm}${sec && sec !== ":00" ? sec : ""}${z}`;
  }
  return v;
}

/**
 * A table's checkpoint in words instead of its JSON. Sample sources store
 * `{gen, mode, pos, done}` (ids run 1..rows; later runs read only the rows changed in the next
 * "version"); postgres sources store `{cursor, pk, done}` (the last cursor value and key read,
 * besides the bookkeeping of a delta walk). Anything else is spelled out key by key.
 */
export function describeCheckpoint(cursor: unknown, keys: CheckpointKeys = {}): string {
  if (typeof cursor === "string") return cursor;
  if (!isObj(cursor)) return cursor == null ? "none" : JSON.stringify(cursor);
  const done = cursor.done === true;
  const pos = num(cursor.pos);
  const gen = num(cursor.gen);
  if (pos !== undefined && (cursor.mode === "full" || cursor.mode === "delta")) {
    if (cursor.mode === "full") return done ? `up to id ${nf.format(pos)}` : `up to id ${nf.format(pos)} so far; the next run carries on`;
    const version = gen !== undefined ? `version ${nf.format(gen)}` : "the latest version";
    return done
      ? `changes up to ${version} (${plural(pos, "changed row")})`
      : `${version}: ${plural(pos, "changed row")} read so far; the next run carries on`;
  }
  if ("pk" in cursor || "cursor" in cursor) {
    // A key is stored as one value per key column (a plain value by earlier versions): "order_id 7, line 2".
    const names = keys.primaryKey === undefined ? ["id"] : typeof keys.primaryKey === "string" ? [keys.primaryKey] : keys.primaryKey;
    const values = Array.isArray(cursor.pk) ? cursor.pk : cursor.pk != null ? [cursor.pk] : null;
    const pk = values?.map((v, i) => `${names[i] ?? `key ${i + 1}`} ${formatCursorValue(v)}`).join(", ");
    if (cursor.cursor != null) {
      const at = `${keys.cursorColumn ?? "cursor"} ${formatCursorValue(cursor.cursor)}`;
      return pk ? `${at} / ${pk}` : at;
    }
    if (!pk) return done ? "full copy finished" : "nothing read yet";
    return done ? `full copy finished at ${pk}; the next run copies the table again` : `up to ${pk} so far; the next run carries on`;
  }
  if (typeof cursor.lsn === "string") return `WAL position ${cursor.lsn}`;
  const parts = Object.entries(cursor)
    .filter(([k]) => k !== "emitted")
    .map(([k, v]) => `${k} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  return parts.join(", ") || "empty";
}
