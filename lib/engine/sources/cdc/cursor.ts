import type { KeyTuple } from "../source-key";
import { formatLsn, type Lsn, parseLsn } from "./lsn";

/**
 * A CDC table's position, stored as its checkpoint and as the table job's cursor.
 * - `lsn`: every transaction of this table that commits at or after this WAL position is still to apply
 *   (the slot's own rule: a transaction counts at its commit record's start).
 * - `snapshot`: the initial copy is under way; rows with a key above `pk` are still to copy (one value
 *   per key column; a plain value when written before composite keys).
 * - `txn`: a transaction bigger than a batch is half applied: its first `done` changes of this table landed.
 * - `rel`: which table this is: one dropped and created again under the same name is another.
 */
export type CdcCursor = {
  cdc: 1;
  lsn: string;
  snapshot?: { pk: KeyTuple | string | null } | null;
  txn?: { lsn: string; done: number } | null;
  emitted: number;
  /** The table's oid at the source (absent in cursors written before it was kept). */
  rel?: number;
};

export const isCdcCursor = (c: unknown): c is CdcCursor =>
  !!c && typeof c === "object" && (c as CdcCursor).cdc === 1 && typeof (c as CdcCursor).lsn === "string";

export const cursorLsn = (c: CdcCursor): Lsn => parseLsn(c.lsn);

export const atLsn = (lsn: Lsn, emitted: number): CdcCursor => ({ cdc: 1, lsn: formatLsn(lsn), emitted });
