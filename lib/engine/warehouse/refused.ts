import { explainConnectionError } from "@/lib/connections/errors";
import { parseConnectionUrl } from "@/lib/connections/target";
import type { DestinationConfig } from "@/lib/contracts/sync-config";
import { duplicateKeyMessage } from "../sources/source-key";

/**
 * Warehouse failures that would happen again on every attempt, so the table fails at once with a code
 * that says why instead of being retried with backoff as `LOAD_FAILED`.
 */
export class LoadRefused extends Error {
  constructor(
    readonly code:
      | "DUPLICATE_PRIMARY_KEY"
      | "PRIMARY_KEY_CHANGED"
      | "WAREHOUSE_TABLE_MISSING"
      | "WAREHOUSE_CONNECTION_REFUSED"
      | "CONNECTION_NOT_ALLOWED"
      | "LOAD_FAILED",
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

/**
 * The warehouse answered and turned us away: a wrong password, an unknown role, no access from this
 * host (28xxx), a sign-in method we cannot speak, or no such database (3D000). Each attempt would be
 * turned away the same way, so the table fails at once, saying what to fix, instead of retrying for
 * the half minute a lost connection gets.
 */
export function asConnectionRefused(e: unknown, destination: DestinationConfig): unknown {
  const code = sqlState(e);
  if (!destination.url || typeof code !== "string") return e;
  if (!/^(28...|3D000|SASL_SIGNATURE_MISMATCH|AUTH_TYPE_NOT_IMPLEMENTED)$/.test(code)) return e;
  const { message } = explainConnectionError(e, parseConnectionUrl(destination.url));
  return new LoadRefused(
    "WAREHOUSE_CONNECTION_REFUSED",
    `The warehouse refused the connection: ${message} Fix the destination's URL and run again.`,
  );
}
