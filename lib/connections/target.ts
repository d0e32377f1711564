import { invalid } from "@/lib/errors";

/** What we may say about a connection in messages: never the password, never the url itself. */
export type ConnectionTarget = { url: string; host: string; port: number; database: string; user: string };

/**
 * Parses a postgres:// url into the parts the checks talk about. A malformed url is a 400 naming
 * `field`, and the message never repeats the url (it may carry a password).
 */
export function parseConnectionUrl(url: string, field = "url"): ConnectionTarget {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw invalid(`${field}: not a valid URL; expected postgres://user:password@host:5432/database`, field);
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw invalid(`${field}: must start with postgres:// or postgresql://`, field);
  }
  const host = safeDecode(u.hostname).replace(/^\[|\]$/g, "");
  if (!host) throw invalid(`${field}: names no host; expected postgres://user:password@host:5432/database`, field);
  const port = u.port ? Number(u.port) : 5432;
  const user = safeDecode(u.username) || "postgres";
  // postgres.js (like libpq) defaults the database to the user name.
  const database = safeDecode(u.pathname.replace(/^\//, "")) || user;
  return { url: url.trim(), host, port, database, user };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `host:port` as messages show it (IPv6 in brackets). */
export const hostPort = (t: Pick<ConnectionTarget, "host" | "port">): string =>
  t.host.includes(":") ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
