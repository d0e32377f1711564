import postgres from "postgres";
import { keyColumns, type PostgresSource } from "@/lib/contracts/sync-config";
import { type DeltaCursor, DeltaKeyset } from "./delta-keyset";
import { describe, quote, sourceConnection, toReadError, toSourceError, typeOf } from "./postgres-common";
import { asTuple, type KeyTuple, SourceKey } from "./source-key";
import { type Batch, type ExtractPlan, type ExtractRequest, FatalSourceError, type Source } from "./types";

/**
 * A full copy's position. `since`: on a resync of a table with a cursor column, that column's highest
 * value when the resync began; the next delta run starts there instead of reading the table again.
 */
type PkCursor = { pk?: KeyTuple | string | null; since?: string | null; done: boolean; emitted: number };
type PgCursor = PkCursor | DeltaCursor;

/**
 * A real Postgres table as a source. Delta runs walk a keyset on (cursorColumn, primaryKey) from
 * the checkpoint (delta-keyset.ts); full runs (and tables without a cursor column) walk the primary
 * key. Values are read as text so they COPY into the warehouse exactly as the source printed them.
 */
export class PostgresSourceAdapter implements Source {
  constructor(private readonly config: PostgresSource) {}

  async plan(req: ExtractRequest): Promise<ExtractPlan> {
    const table = this.config.tables.find((t) => t.name === req.tableName);
    if (!table) throw new FatalSourceError("TABLE_NOT_FOUND", `The source has no table ${req.tableName}`);
    const schema = this.config.schema ?? "public";
    const sql = postgres(this.config.url, sourceConnection);
    try {
      const columns = await describe(sql, schema, table.name);
      const keyNames = keyColumns(table.primaryKey);
      SourceKey.check(keyNames, columns, `${schema}.${table.name}`);
      const delta = req.runType === "normal" && table.cursorColumn ? table.cursorColumn : null;
      if (delta && !columns.some((c) => c.name === delta)) {
        throw new FatalSourceError("INVALID_CURSOR_COLUMN", `Column ${delta} is not in ${schema}.${table.name}`);
      }
      const from = `${quote(schema)}.${quote(table.name)}`;
      // A cursor must sort (json, point and xml do not): asked of the planner, which runs nothing.
      if (delta)
        await sql.unsafe(`explain select 1 from ${from} order by ${quote(delta)} limit 1`).catch((e: { code?: string }) => {
          if (e.code !== "42883") throw e;
          throw new FatalSourceError(
            "INVALID_CURSOR_COLUMN",
            `Column ${delta} of ${schema}.${table.name} cannot be a cursor: its type (${typeOf(columns, delta)}) has no order. Pick a timestamp or number that grows when a row changes.`,
          );
        });
      const key = new SourceKey(from, keyNames, columns);
      await key.assertIdentifies(sql, schema, table.name, columns);
      const walk: Walk = delta
        ? new DeltaKeyset(
            from,
            delta,
            key,
            typeOf(columns, delta),
            columns.findIndex((c) => c.name === delta),
          )
        : new PkWalk(key);
      const cp = req.checkpoint as PgCursor | null;
      const start = (req.resumeFrom as PgCursor | null) ?? (req.runType === "resync" ? null : walk.start(cp));
      const begin: PgCursor = start ?? { done: false, emitted: 0 };
      // Taken before the copy reads a row: anything that changes later has a cursor at or past it.
      const resyncSince =
        req.runType === "resync" && table.cursorColumn && !start
          ? (await sql.unsafe<{ m: string | null }[]>(`select max(${quote(table.cursorColumn)})::text as m from ${from}`))[0].m
          : undefined;
      if (resyncSince !== undefined) (begin as PkCursor).since = resyncSince;
      let pending = 0;
      for (const part of walk.remaining(begin)) {
        const [{ n }] = await sql.unsafe<{ n: string }[]>(
          `select count(*)::text as n from ${from} where ${part.where}`,
          part.params as string[],
        );
        pending += Number(n);
      }
      const selectList = columns.map((c) => `${quote(c.name)}::text`).join(", ");

      const url = this.config.url;
      async function* batches(signal: AbortSignal): AsyncIterable<Batch> {
        const reader = postgres(url, sourceConnection);
        let cursor = begin;
        try {
          while (!signal.aborted) {
            const { where, params, order } = walk.next(cursor);
            const rows = (await reader
              .unsafe(`select ${selectList} from ${from} where ${where} order by ${order} limit ${req.batchSize}`, params as string[])
              .values()
              .catch((e: unknown) => Promise.reject(toReadError(e)))) as (string | null)[][];
            const { next, over } = walk.advance(cursor, rows, rows.length === req.batchSize);
            if (rows.length) yield { rows, cursor: next };
            if (over) return;
            cursor = next;
          }
        } finally {
          await reader.end({ timeout: 1 });
        }
      }

      return {
        columns,
        primaryKey: keyNames,
        total: pending + begin.emitted,
        incremental: !!delta && (begin as DeltaCursor).cursor != null && !(begin as DeltaCursor).withNulls,
        alreadyExtracted: begin.emitted,
        batches,
        // A delta checkpoint keeps its position; a full scan's next run starts over, unless it was a
        // resync of a table with a cursor column, whose next delta run starts at the resync's start.
        finalCursor: (last) => {
          const end = { ...((last as PgCursor) ?? begin), done: true, emitted: 0 };
          const since = (end as PkCursor).since;
          return since != null ? ({ cursor: since, pk: null, ties: null, done: true, emitted: 0 } satisfies DeltaCursor) : end;
        },
      };
    } catch (e) {
      throw toSourceError(e);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}

type Step = { where: string; params: unknown[]; order: string };

/** How a run moves through the table: where it starts, what the next batch reads, where a batch leaves it. */
export interface Walk {
  start(checkpoint: PgCursor | null): PgCursor | null;
  next(c: PgCursor): Step;
  remaining(c: PgCursor): Step[];
  advance(c: PgCursor, rows: (string | null)[][], full: boolean): { next: PgCursor; over: boolean };
}

/** A full copy in key order; an interrupted one (`done: false` in the checkpoint) resumes where it stopped. */
class PkWalk implements Walk {
  constructor(private readonly key: SourceKey) {}
  start = (checkpoint: PgCursor | null) =>
    checkpoint && !checkpoint.done ? { pk: asTuple(checkpoint.pk), done: false, emitted: 0 } : null;
  next = (c: PgCursor): Step => {
    const pk = asTuple(c.pk);
    const order = this.key.list;
    return pk != null ? { where: this.key.after(1), params: pk, order } : { where: "true", params: [], order };
  };
  remaining = (c: PgCursor) => [this.next(c)];
  advance = (c: PgCursor, rows: (string | null)[][], full: boolean) => ({
    next: {
      ...((c as PkCursor).since !== undefined ? { since: (c as PkCursor).since } : {}),
      done: false,
      emitted: c.emitted + rows.length,
      pk: rows.length ? this.key.of(rows[rows.length - 1]) : asTuple(c.pk),
    },
    over: !full,
  });
}
