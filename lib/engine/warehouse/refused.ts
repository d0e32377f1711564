import { duplicateKeyMessage } from "../sources/source-key";

/**
 * Warehouse failures that would happen again on every attempt, so the table fails at once with a code
 * that says why instead of being retried with backoff as `LOAD_FAILED`.
 */
export class LoadRefused extends Error {
  constructor(
    readonly code: "DUPLICATE_PRIMARY_KEY" | "PRIMARY_KEY_CHANGED" | "WAREHOUSE_TABLE_MISSING" | "LOAD_FAILED",
    message: string,
  ) {
    super(message);
  }
}

const sqlState = (e: unknown) => (e as { code?: unknown } | null)?.code;

export const duplicateKey = (table: string, primaryKey: string[]) =>
  new LoadRefused("DUPLICATE_PRIMARY_KEY", duplicateKeyMessage(table, primaryKey));

/**
 * Two rows of one upsert with the same key (21000, "ON CONFLICT DO UPDATE command cannot affect row a
 * second time"), or a resync's shadow whose key cannot be made unique (23505 while building it).
 */
export function asDuplicateKey(e: unknown, table: string, primaryKey: string[], states: string[]): unknown {
  return states.includes(sqlState(e) as string) ? duplicateKey(table, primaryKey) : e;
}

/**
 * Errors the warehouse raises for what it was asked, not for how it was doing: data it cannot take
 * (22), constraints (23), names and rights (42), unsupported features (0A). Connection loss, lock
 * timeouts, deadlocks, cancellations and resource limits are worth another attempt.
 */
export function isDeterministic(e: unknown): boolean {
  const code = sqlState(e);
  return typeof code === "string" && /^(22|23|42|0A|2B|44)/.test(code);
}
