import type postgres from "postgres";

/**
 * Serialises DDL in a warehouse until the caller's transaction ends: per schema for the schema itself
 * and its state tables, per table for a table and its resync's shadow (so runs of one table wait for
 * each other, and the other tables of the schema do not).
 */
export async function lockDdl(tx: postgres.TransactionSql, schema: string, table?: string) {
  const key = table === undefined ? `sync-console-ddl:${schema}` : `sync-console-ddl:${schema}.${table}`;
  await tx`select pg_advisory_xact_lock(hashtext(${key}))`;
}

/**
 * How long DDL on a live table waits for its lock. A statement waiting for an exclusive lock makes
 * every reader that comes after it wait too, so behind a long query (a report, say) the swap or
 * ALTER gives up instead, and the table job retries it later with backoff.
 */
export const DDL_LOCK_WAIT = "3s";
