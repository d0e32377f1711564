import { arrayParam, param, quote, typeOf } from "./postgres-common";
import { type Column, FatalSourceError } from "./types";

/** A key's values as the source printed them, one per key column. */
export type KeyTuple = (string | null)[];

/**
 * A table's key at the source, one column or several (a composite key), as SQL over the qualified
 * table: `(a, b)` in walk order, comparisons with text parameters numbered from a given `$n`, and
 * the key of a row read in the table's column order.
 */
export class SourceKey {
  /** Qualified: a bare name in ORDER BY would mean the select list's text copy of the column. */
  readonly list: string;
  private readonly cols: string[];
  private readonly types: string[];
  private readonly indexes: number[];

  constructor(
    from: string,
    readonly names: string[],
    columns: Column[],
  ) {
    this.cols = names.map((n) => `${from}.${quote(n)}`);
    this.list = this.cols.join(", ");
    this.types = names.map((n) => typeOf(columns, n));
    this.indexes = names.map((n) => columns.findIndex((c) => c.name === n));
  }

  /** Fails the table when a key column is not in it (renamed or dropped at the source). */
  static check(names: string[], columns: Column[], table: string): void {
    const missing = names.find((n) => !columns.some((c) => c.name === n));
    if (missing !== undefined) throw new FatalSourceError("INVALID_PRIMARY_KEY", `Column ${missing} is not in ${table}`);
  }

  /** Parameters `$first…` cast to the key columns' types: `$1::text::int, $2::text::text`. */
  params(first: number): string {
    return this.types.map((t, i) => param(first + i, t)).join(", ");
  }

  /** Rows whose key comes after the key in the parameters from `$first`. */
  after(first: number): string {
    return `(${this.list}) > (${this.params(first)})`;
  }

  /** Rows whose key is one of a list (one array parameter per key column, from `$first`). */
  among(first: number): string {
    return `(${this.list}) in (select * from unnest(${this.types.map((t, i) => arrayParam(first + i, t)).join(", ")}))`;
  }

  /** Rows whose key is none of a list (key columns are never NULL, so NOT IN means just that). */
  notIn(first: number): string {
    return `not ${this.among(first)}`;
  }

  /** A list of keys as the parameters of `among`/`notIn`: one array per key column. */
  columnsOf(keys: KeyTuple[]): KeyTuple[] {
    return this.names.map((_, i) => keys.map((k) => k[i]));
  }

  of(row: (string | null)[]): KeyTuple {
    return this.indexes.map((i) => row[i]);
  }
}

/** A key stored by a version that knew only one key column (a plain value) reads as a tuple of one. */
export const asTuple = (v: unknown): KeyTuple | null => (v == null ? null : Array.isArray(v) ? (v as KeyTuple) : [String(v)]);
