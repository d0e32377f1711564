import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type postgres from "postgres";
import type { RejectedRecord } from "@/lib/jobs/state";
import { arrayParam } from "../sources/postgres-common";
import type { Batch, Column, Row } from "../sources/types";
import { keyList, q, qualified, TARGET } from "./ident";
import { asDuplicateKey } from "./refused";

/** How batches land in a warehouse table: COPY, an upsert through a private staging table, deletes by key. */
type Tx = postgres.TransactionSql | postgres.Sql;

/** A key's values, one per key column, as the source printed them. */
type Key = (string | null)[];

/** Records the warehouse will refuse (a null in a not-null column) are split off before COPY, one error each. */
export function splitRejected(rows: Row[], columns: Column[], primaryKey: string[]): { accepted: Row[]; rejected: RejectedRecord[] } {
  const required = columns.flatMap((c, i) => (c.notNull ? [i] : []));
  const pk = primaryKey.map((k) => columns.findIndex((c) => c.name === k));
  let accepted: Row[] | null = null; // the batch itself while every row so far passes (the common case: no copy)
  const rejected: RejectedRecord[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let bad = -1;
    for (const i of required) {
      if (row[i] === null || row[i] === undefined) {
        bad = i;
        break;
      }
    }
    if (bad < 0) accepted?.push(row);
    else {
      accepted ??= rows.slice(0, r);
      rejected.push({ key: recordKey(row, pk), column: columns[bad].name });
    }
  }
  return { accepted: accepted ?? rows, rejected };
}

/** A record's key as its error shows it: the value, or `(a, b)` for a composite key. */
const recordKey = (row: Row, pk: number[]) => (pk.length === 1 ? String(row[pk[0]]) : `(${pk.map((i) => String(row[i])).join(", ")})`);

const BACKSLASH = 0x5c;
const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
/** COPY's text escapes, by the character they stand for: `\\`, `\t`, `\n`, `\r`. */
const ESCAPED: Record<number, number> = { [BACKSLASH]: BACKSLASH, [TAB]: 0x74, [NEWLINE]: 0x6e, [RETURN]: 0x72 };
const escapeCopy = (value: string) => value.replace(/[\\\t\n\r]/g, (c) => "\\" + String.fromCharCode(ESCAPED[c.charCodeAt(0)]));
/** Below this, a number's shortest decimal form has digits to spare for two decimal places (its spacing is under 0.002). */
const CENTS_LIMIT = 1e13;

/**
 * Rows in COPY's text format (tab-separated, `\N` for NULL, one line each), written byte by byte
 * into one buffer per batch. Not strings joined and converted at the end: that built and copied
 * every line twice, and a call into Buffer.write per value costs more than the value. ASCII text is
 * copied by a plain loop, integers and amounts of whole cents are printed by hand (printing an
 * amount with `String()` was a third of the encoding), anything else goes through the general path
 * with the same output.
 */
export class CopyEncoder {
  private buf: Buffer;
  private used = 0;

  constructor(sizeHint = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, sizeHint));
  }

  add(rows: Row[]): this {
    for (const row of rows) {
      for (let i = 0; i < row.length; i++) {
        if (i) this.byte(TAB);
        this.value(row[i]);
      }
      this.byte(NEWLINE);
    }
    return this;
  }

  done(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  private value(v: unknown) {
    switch (typeof v) {
      case "string":
        return this.text(v);
      case "number":
        if (Number.isSafeInteger(v)) return this.integer(v); // -0 too: it prints as 0
        return this.decimal(v);
      case "bigint":
      case "boolean":
        return this.text(String(v));
      default:
        if (v !== null && v !== undefined) return this.text(v instanceof Date ? v.toISOString() : String(v));
        this.byte(BACKSLASH);
        this.byte(0x4e); // \N
    }
  }

  private text(s: string) {
    const n = s.length;
    this.room(n * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit; an escape 2
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Non-ASCII from here on: the rest of the value in one UTF-8 conversion.
        this.used = at + buf.write(escapeCopy(s.slice(i)), at);
        return;
      }
      if (c === BACKSLASH || c === TAB || c === NEWLINE || c === RETURN) {
        buf[at++] = BACKSLASH;
        buf[at++] = ESCAPED[c];
      } else buf[at++] = c;
    }
    this.used = at;
  }

  private integer(v: number) {
    this.room(17); // a sign and at most 16 digits (safe integers)
    const buf = this.buf;
    if (v < 0) {
      buf[this.used++] = 0x2d;
      v = -v;
    }
    let digits = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
    const end = this.used + digits;
    for (let at = end - 1; at >= this.used; at--) {
      const rest = Math.floor(v / 10);
      buf[at] = 0x30 + (v - rest * 10);
      v = rest;
    }
    this.used = end;
  }

  /**
   * A number of whole cents prints as its integer part and one or two decimals, which is exactly
   * the shortest form `String()` gives it at this size; any other number prints as `String()` does.
   */
  private decimal(v: number) {
    const cents = Math.round(v * 100);
    if (cents / 100 !== v || !(Math.abs(v) < CENTS_LIMIT)) return this.text(String(v));
    const abs = Math.abs(cents);
    const whole = Math.floor(abs / 100);
    const fraction = abs - whole * 100;
    if (cents < 0) this.byte(0x2d);
    this.integer(whole);
    this.byte(0x2e);
    this.byte(0x30 + Math.floor(fraction / 10));
    if (fraction % 10) this.byte(0x30 + (fraction % 10));
  }

  private byte(b: number) {
    if (this.used === this.buf.length) this.room(1);
    this.buf[this.used++] = b;
  }

  private room(bytes: number) {
    if (this.used + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + bytes));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

export const encodeCopy = (rows: Row[]): Buffer => new CopyEncoder(rows.length * 100).add(rows).done();

/**
 * A batch ready to land: the refused records split off and the rest encoded for COPY. Made while
 * the previous batch is still landing, so the warehouse transaction only sends bytes.
 */
export type EncodedBatch = {
  copy: Buffer;
  accepted: number;
  rejected: RejectedRecord[];
  deletes: Key[];
  extracted: number;
  cursor: unknown;
};

/**
 * Gathers one batch slice by slice: each slice's refused records are split off and the rest encoded
 * the moment it arrives, so its row objects die young — while a whole batch of them waited to be
 * encoded, V8 copied them between heap spaces again and again (garbage collection was a quarter of
 * a worker's time loading 4 tables at once), and they were cold in the cache when encoded.
 */
export class BatchEncoder {
  private readonly encoder: CopyEncoder;
  private accepted = 0;
  private extracted = 0;
  private readonly rejected: RejectedRecord[] = [];
  private readonly deletes: Key[] = [];

  constructor(
    private readonly columns: Column[],
    private readonly primaryKey: string[],
    sizeHint: number,
  ) {
    this.encoder = new CopyEncoder(sizeHint * 100);
  }

  add(rows: Row[], deletes?: Key[]): this {
    const split = splitRejected(rows, this.columns, this.primaryKey);
    this.encoder.add(split.accepted);
    this.accepted += split.accepted.length;
    this.extracted += rows.length + (deletes?.length ?? 0);
    for (const r of split.rejected) this.rejected.push(r);
    if (deletes) for (const k of deletes) this.deletes.push(k);
    return this;
  }

  done(cursor: unknown): EncodedBatch {
    const { accepted, rejected, deletes, extracted } = this;
    return { copy: this.encoder.done(), accepted, rejected, deletes, extracted, cursor };
  }
}

const SLICE = 1000;
export const yieldToIo = () => new Promise<void>((r) => setImmediate(r));

/**
 * Encodes a batch that came whole from its source, in slices of 1,000 rows, yielding to I/O between
 * slices: the batch landing meanwhile on the same event loop gets its replies read promptly instead
 * of after the whole batch was encoded.
 */
export async function encodeBatch(batch: Batch, columns: Column[], primaryKey: string[]): Promise<EncodedBatch> {
  const { rows } = batch;
  const encoder = new BatchEncoder(columns, primaryKey, rows.length);
  for (let i = 0; i < rows.length; i += SLICE) {
    if (i) await yieldToIo();
    encoder.add(rows.length <= SLICE ? rows : rows.slice(i, i + SLICE));
  }
  return encoder.add([], batch.deletes).done(batch.cursor);
}

export async function copyInto(tx: Tx, target: string, columns: Column[], copy: Buffer) {
  if (!copy.length) return;
  const query = tx.unsafe(`copy ${target} (${columns.map((c) => q(c.name)).join(", ")}) from stdin`);
  const opened = query.writable();
  query.execute(); // sent at once, in the order it was asked for (pipelined.ts)
  const writable = await opened;
  await Promise.race([pipeline(Readable.from([copy]), writable), refusal(query)]);
}

/**
 * Rejects with the server's error when it refuses a COPY's data. postgres.js (3.4) never settles
 * the writable then (porsager/postgres#1173): the error only reaches the query object, whose
 * promise already resolved with the stream, so the COPY — and its transaction — would wait forever.
 */
function refusal(query: object): Promise<never> {
  const q = query as { reject: (e: unknown) => unknown };
  const original = q.reject.bind(q);
  const refused = new Promise<never>((_, reject) => {
    q.reject = (e) => {
      reject(e);
      return original(e);
    };
  });
  refused.catch(() => {}); // a COPY that succeeds never settles it
  return refused;
}

/** A COPY straight into a table that held none of the batch's keys hit one after all (unique violation). */
export const isDuplicateKey = (e: unknown) => (e as { code?: string } | null)?.code === "23505";

/**
 * COPY into a staging table private to this table job and this transaction (dropped at commit, so
 * nothing lingers on a pooled connection and two syncs' same-named tables never meet), then one
 * upsert on the primary key. Columns the source dropped are set to NULL on the rows it sends.
 */
export async function upsertRows(
  tx: Tx,
  target: { schema: string; table: string; tableJobId: string },
  columns: Column[],
  primaryKey: string[],
  dropped: string[],
  copy: Buffer,
): Promise<{ inserted: number; updated: number }> {
  if (!copy.length) return { inserted: 0, updated: 0 };
  const live = qualified(target.schema, target.table);
  const stage = q(`_sc_stage_${target.tableJobId}`);
  const names = columns.map((c) => q(c.name));
  // Only the columns the source writes, without constraints: a column a user added to the table
  // (NOT NULL with a default, say) is not in the COPY and would be NULL here.
  await tx.unsafe(`create temp table ${stage} on commit drop as select ${names.join(", ")} from ${live} with no data`);
  await copyInto(tx, stage, columns, copy);
  const updates = [
    ...columns.filter((c) => !primaryKey.includes(c.name)).map((c) => `${q(c.name)} = excluded.${q(c.name)}`),
    ...dropped.map((c) => `${q(c)} = null`),
  ];
  const [r] = await tx
    .unsafe<{ inserted: number; updated: number }[]>(
      `
    with up as (
      insert into ${live} as ${TARGET} (${names.join(", ")})
      select ${names.join(", ")} from ${stage}
      on conflict (${keyList(primaryKey)}) do update set ${updates.join(", ") || `${q(primaryKey[0])} = excluded.${q(primaryKey[0])}`}
      returning (xmax = 0) as fresh)
    select count(*) filter (where fresh)::int as inserted, count(*) filter (where not fresh)::int as updated from up`,
    )
    .catch((e: unknown) => Promise.reject(asDuplicateKey(e, target.table, primaryKey, ["21000"])));
  return r;
}

/** Deletes rows by key (change data capture); returns how many were there to delete. `keyTypes` are the key columns' types. */
export async function deleteKeys(
  tx: Tx,
  schema: string,
  table: string,
  primaryKey: string[],
  keyTypes: string[],
  keys: Key[],
): Promise<number> {
  if (!keys.length) return 0;
  const arrays = keyTypes.map((t, i) => arrayParam(i + 1, t)).join(", ");
  const rows = await tx.unsafe(
    `delete from ${qualified(schema, table)} where (${keyList(primaryKey)}) in (select * from unnest(${arrays})) returning 1`,
    primaryKey.map((_, i) => keys.map((k) => k[i] ?? null)) as never[],
  );
  return rows.length;
}

/** Whether the table holds no row at all (a first load can then COPY straight into it). */
export async function isEmpty(sql: Tx, schema: string, table: string): Promise<boolean> {
  const rows = await sql.unsafe(`select 1 from ${qualified(schema, table)} limit 1`);
  return rows.length === 0;
}

export async function countRows(sql: Tx, schema: string, table: string): Promise<number> {
  const [r] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${qualified(schema, table)}`);
  return r.n;
}
