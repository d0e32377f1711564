import type postgres from "postgres";
import { log } from "@/lib/runtime/log";

/**
 * Reads back what each COPY batch wrote, soon after it committed, on a connection of its own while
 * the next batch lands. The first reader of a row after its transaction ends records the outcome in
 * the row (its hint bits), and on a server with data checksums the first change to a page after a
 * checkpoint logs the whole page: a table bulk-loaded and read only later, after a checkpoint, is
 * written out to the WAL a second time by whoever reads it first — for a resync, the swap's key
 * comparison, which took 2.3 s instead of 1.0 s on a million rows. Read here, the pages are still in
 * the checkpoint cycle that wrote them, and hot.
 *
 * Each read starts at the last page holding a row at the previous read (the next COPY fills it,
 * then adds pages) and runs to the table's end, with a TID range scan (Postgres 14+). At most one
 * read is in flight; a batch it skipped is covered by the next. It only saves work later: a page it
 * misses (a pooled connection may go back to a page it left partly filled) is hinted by whoever
 * reads it, and a failed read only logs.
 */
export class ReadBack {
  private fromPage = 0;
  private reading: Promise<void> | null = null;

  private constructor(
    private readonly sql: postgres.Sql,
    private readonly table: string,
  ) {}

  /** For a table filled from its first page by COPY; null on a server without TID range scans. */
  static async open(sql: postgres.Sql, qualifiedTable: string): Promise<ReadBack | null> {
    const [{ version }] = await sql<{ version: number }[]>`select current_setting('server_version_num')::int as version`;
    return version >= 140000 ? new ReadBack(sql, qualifiedTable) : null;
  }

  /** A batch committed: read back from the last page the previous read found a row on. */
  landed(): void {
    if (this.reading) return;
    this.reading = this.sql
      .begin(async (tx) => {
        // A seq scan of the whole table is never wanted here, whatever the planner thinks of the range.
        await tx`set local enable_seqscan = off`;
        await tx`set local max_parallel_workers_per_gather = 0`;
        const [r] = await tx.unsafe<{ last: string | null }[]>(`select max(ctid)::text as last from ${this.table} where ctid >= $1::tid`, [
          `(${this.fromPage},0)`,
        ]);
        if (r.last) this.fromPage = Number(/^\((\d+),/.exec(r.last)![1]);
      })
      .then(
        () => {},
        (e) => log.debug("read-back after a batch failed", { table: this.table, err: String(e) }),
      )
      .finally(() => {
        this.reading = null;
      });
  }

  /** Waits for the read in flight, if any (it never throws). */
  async done(): Promise<void> {
    await this.reading;
  }
}
