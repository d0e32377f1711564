import type postgres from "postgres";
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
    private readonly from: string,
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

  /**
   * Fails the table unless the key tells every row apart. A unique index on exactly the key's
   * columns (a primary key, say) vouches for it; a view, or a table without such an index, is asked:
   * a NULL key would be skipped by the walk, and a repeated one would overwrite another row, both
   * without a trace, since batches can only check the rows they hold.
   */
  async assertIdentifies(sql: postgres.Sql, schema: string, table: string, columns: Column[]): Promise<void> {
    const { from } = this;
    const [{ indexed }] = await sql<{ indexed: boolean }[]>`
      select exists (
        select 1 from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relname = ${table} and i.indisunique and i.indpred is null and i.indexprs is null
           and (select array_agg(a.attname::text order by a.attname) from pg_attribute a
                 where a.attrelid = i.indrelid and a.attnum = any(i.indkey)) = ${[...this.names].sort()}::text[]
      ) as indexed`;
    const notNull = this.names.every((n) => columns.find((c) => c.name === n)?.notNull);
    if (indexed && notNull) return;
    const anyNull = this.cols.map((c) => `${c} is null`).join(" or ");
    const [{ nulls, repeated }] = await sql.unsafe<{ nulls: number; repeated: boolean }[]>(
      `select (select count(*) from ${from} where ${anyNull})::int as nulls,
              ${indexed ? "false" : `exists (select 1 from ${from} where not (${anyNull}) group by ${this.list} having count(*) > 1)`} as repeated`,
    );
    const name = `${schema}.${table}`;
    if (nulls > 0)
      throw new FatalSourceError(
        "NULL_PRIMARY_KEY",
        `${nulls} rows of ${name} have no value in its key (${this.names.join(", ")}), so they cannot be told apart. Configure a key that is never NULL.`,
      );
    if (repeated) throw new FatalSourceError("DUPLICATE_PRIMARY_KEY", duplicateKeyMessage(name, this.names));
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

export const duplicateKeyMessage = (table: string, key: string[]) =>
  key.length === 1
    ? `Rows of ${table} share a value of "${key[0]}", so it cannot be their primary key in the warehouse. Configure a column (or a view's column) whose values are unique.`
    : `Rows of ${table} share a value of (${key.map((k) => `"${k}"`).join(", ")}), so these columns cannot be their primary key in the warehouse. Configure columns whose values are unique together.`;
