import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A database or a transaction: queries take this as their first argument so services can compose them. */
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

type Handles = { sql: postgres.Sql; db: Db };
const globalForDb = globalThis as unknown as { __syncConsoleDb?: Handles };

/** int8 counters come back as JS numbers: counts stay far below 2^53. */
export const pgTypes = {
  int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
};

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it when it starts the embedded Postgres)");
  return url;
}

/**
 * When Postgres goes away, a request must fail fast (503) rather than wait: a new connection
 * gives up after DB_CONNECT_TIMEOUT_MS (default 1000), and (for the web server's client) a statement after
 * DB_STATEMENT_TIMEOUT_MS. Workers run long COPYs and set no statement timeout.
 */
const CONNECT_TIMEOUT_S = Number(process.env.DB_CONNECT_TIMEOUT_MS ?? 1000) / 1000;
/**
 * postgres.js waits before reconnecting, up to 20 s after repeated failures, and a query that
 * needs a connection waits with it: keep that wait short so a request fails (and later
 * succeeds) quickly. A retry every half second at most is no load on a database coming back.
 */
export const reconnectBackoff = (retries: number) => Math.min(0.05 * 2 ** retries, 0.5);

export function connect(
  url = databaseUrl(),
  max = Number(process.env.DB_POOL_SIZE ?? 10),
  opts: { statementTimeoutMs?: number } = {},
): Handles {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    types: pgTypes,
    transform: { undefined: null },
    connect_timeout: CONNECT_TIMEOUT_S,
    backoff: reconnectBackoff,
    ...(opts.statementTimeoutMs ? { connection: { statement_timeout: opts.statementTimeoutMs } } : {}),
  });
  return { sql, db: drizzle(sql, { schema }) };
}

/** One client per process, cached on globalThis so dev hot reload does not leak pools. */
export function handles(): Handles {
  globalForDb.__syncConsoleDb ??= connect(databaseUrl(), undefined, {
    statementTimeoutMs: Number(process.env.DB_STATEMENT_TIMEOUT_MS ?? 15_000),
  });
  return globalForDb.__syncConsoleDb;
}

export const getDb = (): Db => handles().db;
export const getSql = (): postgres.Sql => handles().sql;

export async function closeDb(): Promise<void> {
  const h = globalForDb.__syncConsoleDb;
  globalForDb.__syncConsoleDb = undefined;
  await h?.sql.end({ timeout: 5 });
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03", // admin shutdown, crash shutdown, cannot connect now
  "57014", // statement timeout
  "53300", // too many connections
]);

/** True when an error means "the database is not there right now" (down, restarting, too slow), not a bad query. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let cur = e as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; cur && depth < 5; depth++) {
    const code = typeof cur.code === "string" ? cur.code : "";
    if (CONNECTION_CODES.has(code) || code.startsWith("08")) return true;
    if (Array.isArray(cur.errors) && cur.errors.some((x) => isDatabaseUnavailable(x))) return true;
    cur = cur.cause as typeof cur;
  }
  return false;
}
