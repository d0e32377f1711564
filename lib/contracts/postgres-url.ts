/**
 * What a postgres url the API accepts looks like, read the way postgres.js reads it and without any
 * dependency: the sync contracts refine url fields with it, and the connection guards use it too.
 */
export type PostgresTarget = { host: string; port: number; database: string };

/** host, port and database name of a postgres url, or null when it is not one (the schema check uses this too). */
export function parsePostgresUrl(url: string): PostgresTarget | null {
  try {
    return parse(url);
  } catch {
    return null; // a malformed %-escape
  }
}

/** The url parsed, when it is a postgres:// or postgresql:// url at all. */
export function asPostgresUrl(url: string): URL | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  return u.protocol === "postgres:" || u.protocol === "postgresql:" ? u : null;
}

function parse(url: string): PostgresTarget | null {
  const u = asPostgresUrl(url);
  if (!u) return null;
  // The driver decodes the user and password too: a malformed %-escape there fails every connection.
  decodeURIComponent(u.username);
  decodeURIComponent(u.password);
  const host = decodeURIComponent(u.hostname)
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  // No unix socket paths (`%2Ftmp`) and no startup parameters that would pick another database or user.
  // One host only: postgres.js reads `a,b:5432` (or `a%2Cb`) as a list and connects to the first that
  // answers, so a host the checks here never saw (this machine's own database) could be the one used.
  if (!host || /[/,\s]/.test(host)) return null;
  for (const key of u.searchParams.keys()) if (FORBIDDEN_PARAMS.has(key.toLowerCase())) return null;
  const port = u.port ? Number(u.port) : 5432;
  let database: string;
  try {
    database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  } catch {
    return null;
  }
  // postgres.js defaults the database to the user name, and the user to "postgres".
  if (!database) database = decodeURIComponent(u.username || "postgres");
  return { host, port, database };
}

const FORBIDDEN_PARAMS = new Set([
  "database",
  "dbname",
  "db",
  "user",
  "username",
  "host",
  "hostname",
  "port",
  "path",
  "options",
  "replication",
]);

/** Every spelling of this machine's loopback: `localhost`, any 127.x address, `::1` however written. */
const isLoopback = (host: string) =>
  host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host) || /^(0{0,4}:){2,7}0{0,3}1$/.test(host) || /^::ffff:(127\.|7f)/i.test(host);

/**
 * A url reduced to what tells two databases apart (no user, no password), loopback spelled one way:
 * `localhost` and `127.0.0.1` reach the same server, so two syncs must not load one table through them.
 */
export const normalizedTarget = (t: PostgresTarget): string => `${isLoopback(t.host) ? "localhost" : t.host}:${t.port}/${t.database}`;

/** Every form a stored target may have been reduced to (loopback hosts were once kept as written). */
export const targetSpellings = (t: PostgresTarget): string[] =>
  isLoopback(t.host)
    ? [
        ...new Set([
          normalizedTarget(t),
          `${t.host}:${t.port}/${t.database}`,
          ...["127.0.0.1", "::1"].map((h) => `${h}:${t.port}/${t.database}`),
        ]),
      ]
    : [normalizedTarget(t)];

export const isPostgresUrl = (url: string): boolean => parsePostgresUrl(url) !== null;
