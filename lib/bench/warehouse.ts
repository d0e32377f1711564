import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { withNoDelay } from "@/lib/engine/pg-socket";
import { SAMPLE_COLUMNS, SampleTableData } from "@/lib/engine/sources/sample";
import type { Row } from "@/lib/engine/sources/types";
import { q } from "@/lib/engine/warehouse/ident";
import { encodeCopy } from "@/lib/engine/warehouse/load";
import type { SampleTable } from "@/lib/contracts/sync-config";
import type { BenchDb } from "./database";
import { makeSampleSync } from "./jobs";
import { COLUMN_LIST, copyText, DDL, engineRun, type Throughput } from "./load";

/**
 * Loads into a warehouse in another database (its own connections, its own transactions), beside the
 * physical limit of the same work measured in the same run: COPY of rows that are already encoded,
 * so neither generation nor encoding is inside the baseline's timing.
 */
export type WarehouseResults = {
  rows: number;
  rawCopyEncoded: Throughput;
  copyUpsertEncoded: Throughput;
  firstLoad: Throughput;
  shadowSwapEncoded: Throughput;
  resyncSwap: Throughput;
  resyncMerge: Throughput;
};

const through = (rows: number, seconds: number): Throughput => ({ rows, seconds, rowsPerSecond: rows / seconds });

/** Every batch of the table, generated and COPY-encoded up front (outside any timing). */
export function encodeAll(table: SampleTable, seed: number, batchSize: number): Buffer[] {
  const data = new SampleTableData(table, seed);
  const out: Buffer[] = [];
  for (let pos = 0; pos < table.rows; pos += batchSize) {
    const n = Math.min(batchSize, table.rows - pos);
    const rows = new Array<Row>(n);
    for (let i = 0; i < n; i++) rows[i] = data.row(pos + i + 1, 0);
    out.push(encodeCopy(rows));
  }
  return out;
}

const client = (url: string) => postgres(url, withNoDelay({ max: 1, onnotice: () => {} }));

async function timed(
  url: string,
  setup: string[],
  work: (sql: postgres.Sql) => Promise<void>,
  cleanup: string[],
  rows: number,
): Promise<Throughput> {
  const sql = client(url);
  try {
    for (const s of setup) await sql.unsafe(s);
    await sql`checkpoint`;
    const t0 = performance.now();
    await work(sql);
    const seconds = (performance.now() - t0) / 1000;
    for (const s of cleanup) await sql.unsafe(s);
    return through(rows, seconds);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Baseline: one autocommit COPY of pre-encoded rows per batch into an empty table of the same shape. */
export const rawCopyEncoded = (url: string, texts: Buffer[], rows: number) =>
  timed(
    url,
    ["drop table if exists bench_copy", DDL("bench_copy")],
    async (sql) => {
      for (const t of texts) await copyText(sql, "bench_copy", t);
    },
    ["drop table bench_copy"],
    rows,
  );

/**
 * Context for the resync, which lands two batches side by side: the same COPYs on two connections at
 * once, each taking the next batch, into one table.
 */
export async function rawCopyEncodedTwo(url: string, texts: Buffer[], rows: number): Promise<Throughput> {
  const second = client(url);
  try {
    return await timed(
      url,
      ["drop table if exists bench_copy", DDL("bench_copy")],
      async (sql) => {
        let next = 0;
        const lane = async (c: postgres.Sql) => {
          for (let k = next++; k < texts.length; k = next++) await copyText(c, "bench_copy", texts[k]);
        };
        await Promise.all([lane(sql), lane(second)]);
      },
      ["drop table bench_copy"],
      rows,
    );
  } finally {
    await second.end({ timeout: 5 });
  }
}

/** Baseline: per batch, one transaction of COPY (pre-encoded) into a temp table + upsert on the key. */
export function copyUpsertEncoded(url: string, texts: Buffer[], rows: number) {
  const updates = SAMPLE_COLUMNS.filter((c) => c.name !== "id")
    .map((c) => `${q(c.name)} = excluded.${q(c.name)}`)
    .join(", ");
  return timed(
    url,
    ["drop table if exists bench_up", DDL("bench_up")],
    async (sql) => {
      for (const t of texts) {
        await sql.begin(async (tx) => {
          await tx.unsafe(`create temp table if not exists bench_stage (like bench_up) on commit delete rows`);
          await copyText(tx, "bench_stage", t);
          await tx.unsafe(
            `insert into bench_up (${COLUMN_LIST}) select ${COLUMN_LIST} from bench_stage on conflict (id) do update set ${updates}`,
          );
        });
      }
    },
    ["drop table bench_up"],
    rows,
  );
}

/** Baseline: the old resync at its limit — pre-encoded COPY into a shadow table, then drop and rename it in. */
export const shadowSwapEncoded = (url: string, texts: Buffer[], rows: number) =>
  timed(
    url,
    ["drop table if exists bench_live", "drop table if exists bench_shadow", DDL("bench_live"), DDL("bench_shadow")],
    async (sql) => {
      for (const t of texts) await copyText(sql, "bench_shadow", t);
      await sql.begin(async (tx) => {
        await tx.unsafe(`drop table bench_live`);
        await tx.unsafe(`alter table bench_shadow rename to bench_live`);
      });
    },
    ["drop table bench_live"],
    rows,
  );

export async function measureWarehouse(
  env: BenchDb,
  table: SampleTable,
  seed: number,
  batchSize: number,
  step: (m: string) => void,
): Promise<WarehouseResults> {
  await env.sql.unsafe(`drop database if exists bench_external_wh with (force)`);
  await env.sql.unsafe(`create database bench_external_wh`);
  const url = new URL(env.url);
  url.pathname = "/bench_external_wh";
  const whUrl = url.toString();
  try {
    step(`encode ${table.rows} rows up front for the physical-limit baselines`);
    const texts = encodeAll(table, seed, batchSize);
    const sync = await makeSampleSync(env.db, [table], seed, whUrl);
    step("external warehouse: COPY+upsert of pre-encoded rows");
    const copyUpsert = await copyUpsertEncoded(whUrl, texts, table.rows);
    step("external warehouse: engine first load");
    const firstLoad = await engineRun(env, sync.id, "normal", table.rows);
    step("external warehouse: raw COPY of pre-encoded rows");
    const rawCopy = await rawCopyEncoded(whUrl, texts, table.rows);
    step("external warehouse: engine resync, nothing attached (swap)");
    const resyncSwap = await engineRun(env, sync.id, "resync", table.rows);
    step("external warehouse: old shadow swap of pre-encoded rows");
    const shadowSwap = await shadowSwapEncoded(whUrl, texts, table.rows);
    step("external warehouse: engine resync with a view on the table (merge)");
    const wh = client(whUrl);
    await wh.unsafe(`create view ${q(sync.schema)}.bench_view as select id, amount from ${q(sync.schema)}.${q(table.name)}`);
    await wh.end({ timeout: 5 });
    const resyncMerge = await engineRun(env, sync.id, "resync", table.rows);
    return {
      rows: table.rows,
      rawCopyEncoded: rawCopy,
      copyUpsertEncoded: copyUpsert,
      firstLoad,
      shadowSwapEncoded: shadowSwap,
      resyncSwap,
      resyncMerge,
    };
  } finally {
    await env.sql.unsafe(`drop database if exists bench_external_wh with (force)`).catch(() => {});
  }
}

const rate = (t: Throughput) => `${Math.round(t.rowsPerSecond).toLocaleString("en-US")} rows/s (${t.seconds.toFixed(2)} s)`;
const pct = (a: Throughput, b: Throughput) => `${Math.round((a.rowsPerSecond / b.rowsPerSecond) * 100)} %`;

export function renderWarehouseSection(w: WarehouseResults): string {
  return `## Into a warehouse in another database

The warehouse is a second database on the same server, reached through its own connections: each batch commits
its rows with its account in \`_sync_console_state\` there (three round trips, as on the own database, the state
row's lock in place of the lease's), and the control plane follows in a second transaction on its own database
while the next batch lands; a first load into an empty table is plain COPY here too.
Baselines COPY rows that were generated and encoded before the clock started — the physical limit of the work.

| Measure (${w.rows.toLocaleString("en-US")} rows) | Engine | Baseline (same run) | Ratio |
|---|---|---|---|
| First load (normal run, empty table) | ${rate(w.firstLoad)} | COPY+upsert, pre-encoded: ${rate(w.copyUpsertEncoded)} | ${pct(w.firstLoad, w.copyUpsertEncoded)} |
| First load | ${rate(w.firstLoad)} | raw COPY, pre-encoded: ${rate(w.rawCopyEncoded)} | ${pct(w.firstLoad, w.rawCopyEncoded)} |
| Resync, nothing attached to the table (shadow swapped in) | ${rate(w.resyncSwap)} | old shadow swap, pre-encoded COPY: ${rate(w.shadowSwapEncoded)} | ${pct(w.resyncSwap, w.shadowSwapEncoded)} |
| Resync, a view on the table (shadow merged into the live table) | ${rate(w.resyncMerge)} | old shadow swap, pre-encoded COPY: ${rate(w.shadowSwapEncoded)} | ${pct(w.resyncMerge, w.shadowSwapEncoded)} |

What keeping views working costs: the merge resync reaches ${pct(w.resyncMerge, w.resyncSwap)} of the swap resync's
throughput (it deletes the rows the source lost, inserts new ones and rewrites only the rows that changed, in one
transaction). The old mechanism cannot run at all once a view depends on the table (\`DROP TABLE\` refuses).
`;
}
