import postgres from "postgres";
import type { PostgresSource } from "@/lib/contracts/sync-config";
import { describe, quote, toSourceError, typeOf } from "./postgres-common";
import {
  type Batch,
  type Column,
  type ExtractPlan,
  type ExtractRequest,
  FatalSourceError,
  type Source,
  TransientSourceError,
} from "./types";

/**
 * A real Postgres table as a source. Delta runs walk a keyset on (cursorColumn, primaryKey) from
 * the checkpoint; full runs (and tables without a cursor column) walk the primary key. Values are
 * read as text so they COPY into the warehouse exactly as the source printed them.
 */
type PgCursor = { cursor?: string | null; pk?: string | null; done: boolean; emitted: number };

export class PostgresSourceAdapter implements Source {
  constructor(private readonly config: PostgresSource) {}

  async plan(req: ExtractRequest): Promise<ExtractPlan> {
    const table = this.config.tables.find((t) => t.name === req.tableName);
    if (!table) throw new FatalSourceError("TABLE_NOT_FOUND", `The source has no table ${req.tableName}`);
    const schema = this.config.schema ?? "public";
    const sql = postgres(this.config.url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
    try {
      const columns = await describe(sql, schema, table.name);
      if (!columns.some((c) => c.name === table.primaryKey)) {
        throw new FatalSourceError("INVALID_PRIMARY_KEY", `Column ${table.primaryKey} is not in ${schema}.${table.name}`);
      }
      const delta = req.runType === "normal" && table.cursorColumn ? table.cursorColumn : null;
      const cp = req.checkpoint as PgCursor | null;
      const start: PgCursor =
        (req.resumeFrom as PgCursor | null) ??
        (req.runType === "resync" || !cp
          ? { done: false, emitted: 0 }
          : delta
            ? { ...cp, done: false, emitted: 0 }
            : cp.done
              ? { done: false, emitted: 0 }
              : { ...cp, emitted: 0 });
      const from = `${quote(schema)}.${quote(table.name)}`;
      const pk = quote(table.primaryKey);
      // Qualified: a bare name in ORDER BY would mean the select list's text copy of the column.
      const order = delta ? `${from}.${quote(delta)}, ${from}.${pk}` : `${from}.${pk}`;
      const [{ n }] = await sql.unsafe<{ n: string }[]>(
        `select count(*)::text as n from ${from} ${whereText(delta, pk, columns, table.primaryKey, start)}`,
        whereParams(delta, start),
      );
      const selectList = columns.map((c) => `${quote(c.name)}::text`).join(", ");
      const pkIndex = columns.findIndex((c) => c.name === table.primaryKey);
      const cursorIndex = delta ? columns.findIndex((c) => c.name === delta) : -1;

      const url = this.config.url;
      async function* batches(signal: AbortSignal): AsyncIterable<Batch> {
        const reader = postgres(url, { max: 1, onnotice: () => {} });
        let cursor = { ...start };
        try {
          while (!signal.aborted) {
            const rows = await reader
              .unsafe(
                `select ${selectList} from ${from} ${whereText(delta, pk, columns, table!.primaryKey, cursor)} order by ${order} limit ${req.batchSize}`,
                whereParams(delta, cursor),
              )
              .values()
              .catch((e: Error) => Promise.reject(new TransientSourceError(`source read failed: ${e.message}`)));
            if (!rows.length) return;
            const last = rows[rows.length - 1] as (string | null)[];
            cursor = {
              cursor: cursorIndex >= 0 ? last[cursorIndex] : null,
              pk: last[pkIndex],
              done: false,
              emitted: cursor.emitted + rows.length,
            };
            yield { rows: rows as unknown[][], cursor };
            if (rows.length < req.batchSize) return;
          }
        } finally {
          await reader.end({ timeout: 1 });
        }
      }

      return {
        columns,
        primaryKey: table.primaryKey,
        total: Number(n) + start.emitted,
        alreadyExtracted: start.emitted,
        batches,
        // A delta checkpoint keeps its position; a full scan's next run starts over.
        finalCursor: (last) => ({ ...((last as PgCursor) ?? start), done: true, emitted: 0 }),
      };
    } catch (e) {
      throw toSourceError(e);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}

function whereText(delta: string | null, pk: string, columns: Column[], pkName: string, c: PgCursor): string {
  if (delta)
    return c.cursor != null ? `where (${quote(delta)}, ${pk}) > ($1::${typeOf(columns, delta)}, $2::${typeOf(columns, pkName)})` : "";
  return c.pk != null ? `where ${pk} > $1::${typeOf(columns, pkName)}` : "";
}

function whereParams(delta: string | null, c: PgCursor): (string | null)[] {
  if (delta) return c.cursor != null ? [c.cursor, c.pk ?? null] : [];
  return c.pk != null ? [c.pk] : [];
}
