import { asPostgresUrl } from "@/lib/contracts/postgres-url";
import type { SampleTable } from "@/lib/contracts/sync-config";

/** A connection as the form holds it: a pasted url, or the parts of one. */
export type ConnDraft = {
  mode: "url" | "fields";
  url: string;
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  ssl: boolean;
};
export const emptyConn = (): ConnDraft => ({
  mode: "fields",
  url: "",
  host: "",
  port: "5432",
  database: "",
  user: "",
  password: "",
  ssl: false,
});

/** The url the server gets; built here so the password never has to be typed into a url by hand. */
export function connUrl(d: ConnDraft): string {
  if (d.mode === "url") return d.url.trim();
  const host = d.host.trim().includes(":") ? `[${d.host.trim()}]` : d.host.trim();
  const auth = d.user.trim() ? `${encodeURIComponent(d.user.trim())}${d.password ? `:${encodeURIComponent(d.password)}` : ""}@` : "";
  const port = d.port.trim() || "5432";
  return `postgres://${auth}${host}:${port}/${encodeURIComponent(d.database.trim())}${d.ssl ? "?sslmode=require" : ""}`;
}
/**
 * The same connection in the other way of typing it, so switching between a url and its parts
 * keeps what was typed: the parts build the url, a url is split into its parts. What cannot be
 * split (not a postgres url, or options beyond sslmode) leaves the parts as they were; the url
 * itself stays in the draft, so switching back shows it unchanged.
 */
export function switchConnMode(d: ConnDraft, mode: ConnDraft["mode"]): ConnDraft {
  if (mode === d.mode) return d;
  if (mode === "url") return { ...d, mode, url: d.host.trim() ? connUrl(d) : d.url };
  const parts = urlParts(d.url.trim());
  return { ...d, mode, ...(parts ?? {}) };
}

function urlParts(url: string): Omit<ConnDraft, "mode" | "url"> | null {
  const u = asPostgresUrl(url);
  if (!u) return null;
  const options = [...u.searchParams.keys()];
  if (options.some((k) => k !== "sslmode") || u.hash) return null;
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode && sslmode !== "require" && sslmode !== "disable") return null;
  try {
    return {
      host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: u.port || "5432",
      database: decodeURIComponent(u.pathname.slice(1)),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      ssl: sslmode === "require",
    };
  } catch {
    // A malformed %-escape: the server names it when the url is tested.
    return null;
  }
}

/** Whether the form holds enough to try: a url, or at least a host and a database. */
export const connFilled = (d: ConnDraft): boolean =>
  d.mode === "url" ? d.url.trim() !== "" : d.host.trim() !== "" && d.database.trim() !== "";

/** One table of a postgres source as the user picked it; `primaryKey` "" until one is chosen, a list for a composite key. */
export type PickedTable = { name: string; selected: boolean; primaryKey: string | string[]; cursorColumn: string };

/** Whether a key has been chosen: one column, or at least one of several. */
export const hasKey = (p: Pick<PickedTable, "primaryKey">): boolean =>
  Array.isArray(p.primaryKey) ? p.primaryKey.length > 0 : p.primaryKey !== "";

/** A sample table with its numeric options as typed (strings), so a half-typed "0." stays on screen. */
export type SampleDraft = {
  name: string;
  rows: string;
  changeRate: string;
  badRecordRate: string;
  rowsPerSecond: string;
  transientFailures: string;
  failCode: string;
  failMessage: string;
  failAfterRows: string;
};
export const newSampleTable = (name = "", rows = "1000"): SampleDraft => ({
  name,
  rows,
  changeRate: "",
  badRecordRate: "",
  rowsPerSecond: "",
  transientFailures: "",
  failCode: "",
  failMessage: "",
  failAfterRows: "",
});

export function sampleDraftOf(t: SampleTable): SampleDraft {
  const s = (n: number | undefined) => (n === undefined ? "" : String(n));
  return {
    name: t.name,
    rows: String(t.rows),
    changeRate: s(t.changeRate),
    badRecordRate: s(t.badRecordRate),
    rowsPerSecond: s(t.rowsPerSecond),
    transientFailures: s(t.transientFailures),
    failCode: t.failWith?.code ?? "",
    failMessage: t.failWith?.message ?? "",
    failAfterRows: s(t.failWith?.afterRows),
  };
}

/**
 * Numbers go to the API as typed: the API's own validation answers with the field at fault
 * (e.g. `source.tables.0.changeRate`), and the form shows that message at the field.
 */
export function sampleTableBody(d: SampleDraft): Record<string, unknown> {
  const num = (s: string) => (s.trim() === "" ? undefined : Number(s));
  const body: Record<string, unknown> = { name: d.name.trim(), rows: num(d.rows) ?? 0 };
  for (const k of ["changeRate", "badRecordRate", "rowsPerSecond", "transientFailures"] as const) {
    const v = num(d[k]);
    if (v !== undefined) body[k] = v;
  }
  if (d.failCode.trim() || d.failMessage.trim()) {
    body.failWith = {
      code: d.failCode.trim(),
      message: d.failMessage.trim(),
      ...(num(d.failAfterRows) !== undefined ? { afterRows: num(d.failAfterRows) } : {}),
    };
  }
  return body;
}

/** Field errors keyed by the API's dotted field path (`destination.schema`, `source.tables.0.rows`). */
export type FieldErrors = Record<string, string>;

/** A name the warehouse schema can take: lowercase, digits and _, starting with a letter. */
export function schemaNameFrom(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return `wh_${slug || "sync"}`;
}
