import { param, quote } from "./postgres-common";
import { asTuple, type KeyTuple, type SourceKey } from "./source-key";

/**
 * Where a delta walk over `(cursorColumn, primaryKey)` stands, stored as the table job's cursor and,
 * once the run is done, as the sync's checkpoint.
 *
 * - `cursor`/`pk`: the last row copied. A run that starts from a checkpoint has `pk: null`: it reads
 *   every row at or past the checkpoint's cursor value, because a row written later can carry the
 *   same value (a date, a second-granular timestamp) with a lower key, and a strict keyset would
 *   never see it.
 * - `ties`: the keys already copied at exactly `cursor`. A row at that value whose key is listed has
 *   not changed since (a change moves its cursor past), so it is not read again; `null` when there
 *   were too many to keep (or a resync could not tell), and then the next run reads them all again
 *   (the upsert is idempotent) and lists them afresh.
 * - `withNulls`: this run also copies rows whose cursor is NULL (a first load: such rows can never
 *   be found by their cursor, only a full copy or resync reaches them); `nulls` once the walk has
 *   moved past every non-NULL value and walks those rows by key.
 */
export type DeltaCursor = {
  cursor?: string | null;
  pk?: KeyTuple | string | null; // a plain value when written before composite keys
  ties?: KeyTuple[] | null;
  withNulls?: boolean;
  nulls?: boolean;
  done: boolean;
  emitted: number;
};

/** More keys than this at one cursor value are not listed in the checkpoint. */
export const MAX_TIES = 1000;

/** Where a delta run starts: from the checkpoint's cursor value, or from scratch (NULL cursors included) when there is none. */
export function deltaStart(checkpoint: DeltaCursor | null): DeltaCursor {
  // A run that stopped part-way (canceled, failed) left its walk's position: carry on from it, so a
  // first load still reaches its NULL cursors.
  if (checkpoint && checkpoint.done === false && (checkpoint.withNulls || checkpoint.pk != null))
    return { ...checkpoint, pk: asTuple(checkpoint.pk), emitted: 0 };
  if (checkpoint?.cursor == null) return { withNulls: true, done: false, emitted: 0 };
  // Checkpoints written before `ties` existed came from a strict keyset: their last key was copied.
  // Keys written before composite keys existed are plain values. Without a list (a resync's
  // checkpoint, or too many keys to keep) this run reads every row at the value again, so it starts
  // a new list from them: the run after it need not read them a third time.
  const last = asTuple(checkpoint.pk);
  const ties = checkpoint.ties !== undefined ? (checkpoint.ties?.map((k) => asTuple(k)!) ?? []) : last ? [last] : [];
  return { cursor: checkpoint.cursor, pk: null, ties, done: false, emitted: 0 };
}

type Sql = { where: string; params: unknown[]; order: string };

export class DeltaKeyset {
  private readonly cursorCol: string;
  readonly start = deltaStart;

  /** `from` is the qualified table; the cursor's type is the source's, for casting the text parameters. */
  constructor(
    from: string,
    cursorColumn: string,
    private readonly key: SourceKey,
    private readonly cursorType: string,
    private readonly cursorIndex: number,
  ) {
    // Qualified: a bare name in ORDER BY would mean the select list's text copy of the column.
    this.cursorCol = `${from}.${quote(cursorColumn)}`;
  }

  /** The next batch's condition and order from where the walk stands. */
  next(c: DeltaCursor): Sql {
    const { cursorCol: cur, key } = this;
    const pk = asTuple(c.pk);
    if (c.nulls) {
      return pk == null
        ? { where: `${cur} is null`, params: [], order: key.list }
        : { where: `${cur} is null and ${key.after(1)}`, params: pk, order: key.list };
    }
    const order = `${cur}, ${key.list}`;
    if (c.cursor == null) return { where: `${cur} is not null`, params: [], order };
    const at = param(1, this.cursorType);
    if (pk != null) return { where: `(${cur}, ${key.list}) > (${at}, ${key.params(2)})`, params: [c.cursor, ...pk], order };
    if (!c.ties?.length) return { where: `${cur} >= ${at}`, params: [c.cursor], order };
    return {
      where: `${cur} >= ${at} and (${cur} > ${at} or ${key.notIn(2)})`,
      params: [c.cursor, ...key.columnsOf(c.ties)],
      order,
    };
  }

  /** Conditions that together cover every row the rest of the walk will read (for the progress total). */
  remaining(c: DeltaCursor): Sql[] {
    const rest = [this.next(c)];
    if (c.withNulls && !c.nulls) rest.push(this.next({ ...c, nulls: true, pk: null }));
    return rest;
  }

  /**
   * Where the walk stands after a batch of `rows` (text values in the table's column order, in walk
   * order), and whether it is over. A short batch ends the non-NULL part; the NULL part follows when
   * the run includes it.
   */
  advance(c: DeltaCursor, rows: (string | null)[][], full: boolean): { next: DeltaCursor; over: boolean } {
    const next: DeltaCursor = { ...c, emitted: c.emitted + rows.length };
    if (rows.length) next.pk = this.key.of(rows[rows.length - 1]);
    if (!c.nulls) {
      let { cursor = null, ties = null } = c;
      for (const row of rows) {
        const value = row[this.cursorIndex];
        if (value !== cursor) [cursor, ties] = [value, []];
        if (ties && ties.length < MAX_TIES) ties.push(this.key.of(row));
        else ties = null;
      }
      Object.assign(next, { cursor, ties });
    }
    if (full) return { next, over: false };
    if (c.nulls || !c.withNulls) return { next, over: true };
    return { next: { ...next, nulls: true, pk: null }, over: false };
  }
}
