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

export function connect(url = databaseUrl(), max = Number(process.env.DB_POOL_SIZE ?? 10)): Handles {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    types: pgTypes,
    transform: { undefined: null },
  });
  return { sql, db: drizzle(sql, { schema }) };
}

/** One client per process, cached on globalThis so dev hot reload does not leak pools. */
export function handles(): Handles {
  globalForDb.__syncConsoleDb ??= connect();
  return globalForDb.__syncConsoleDb;
}

export const getDb = (): Db => handles().db;
export const getSql = (): postgres.Sql => handles().sql;

export async function closeDb(): Promise<void> {
  const h = globalForDb.__syncConsoleDb;
  globalForDb.__syncConsoleDb = undefined;
  await h?.sql.end({ timeout: 5 });
}
