import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { q, qualified } from "@/lib/engine/warehouse/ident";
import { encodeCopy } from "@/lib/engine/warehouse/load";
import { withNoDelay } from "@/lib/engine/pg-socket";
import { SAMPLE_COLUMNS, SampleTableData } from "@/lib/engine/sources/sample";
import type { Row } from "@/lib/engine/sources/types";
import type { SampleTable } from "@/lib/contracts/sync-config";
import type { BenchDb } from "./database";
import { expectStatus, trigger } from "./jobs";

export type Throughput = { rows: number; seconds: number; rowsPerSecond: number };

const through = (rows: number, seconds: number): Throughput => ({ rows, seconds, rowsPerSecond: rows / seconds });

export const COLUMN_LIST = SAMPLE_COLUMNS.map((c) => q(c.name)).join(", ");
/** An empty table of the sample source's shape, for the baselines. */
export const DDL = (table: string) =>
  `create table ${table} (${SAMPLE_COLUMNS.map((c) => `${q(c.name)} ${c.type}${c.notNull ? " not null" : ""}`).join(", ")}, primary key (id))`;

/** The engine's own unit of work: the table job, from its claim (startedAt) to its end (endedAt). */
export async function engineRun(env: BenchDb, syncId: string, runType: "normal" | "resync", rows: number): Promise<Throughput> {
  await env.sql`checkpoint`; // each measurement starts from a clean WAL, not behind the previous one's
  const jobId = await trigger(env.db, syncId, runType);
  await expectStatus(env.sql, jobId, "completed", { timeoutMs: 180_000, everyMs: 250 });
  const [t] = await env.sql<{ s: number; loaded: number }[]>`
    select extract(epoch from ended_at - started_at)::float8 as s, num_loaded_records as loaded
      from table_jobs where sync_job_id = ${jobId}`;
  if (t.loaded !== rows) throw new Error(`${runType} loaded ${t.loaded} rows, expected ${rows}`);
  return through(rows, t.s);
}

/**
 * Before a goal's resync: the table as a resync finds it in use, vacuumed and analyzed, as autovacuum
 * does within about a minute of a big load (and pgbench before it measures). Not timed.
 */
export async function vacuumAsInUse(sql: postgres.Sql, schema: string, table: string) {
  await sql.unsafe(`vacuum (analyze) ${qualified(schema, table)}`);
}

/** The same rows the sample source yields, batch by batch, generated and encoded the way the engine does. */
function* copyBatches(table: SampleTable, seed: number, batchSize: number): Generator<Buffer> {
  const data = new SampleTableData(table, seed);
  for (let pos = 0; pos < table.rows; pos += batchSize) {
    const n = Math.min(batchSize, table.rows - pos);
    const rows = new Array<Row>(n);
    for (let i = 0; i < n; i++) rows[i] = data.row(pos + i + 1, 0);
    yield encodeCopy(rows);
  }
}

export async function copyText(sql: postgres.Sql | postgres.TransactionSql, table: string, text: Buffer) {
  const writable = await sql.unsafe(`copy ${table} (${COLUMN_LIST}) from stdin`).writable();
  await pipeline(Readable.from([text]), writable);
}

/** Context: generating and encoding the rows alone, no database — the ceiling every loader shares. */
export function generateOnly(table: SampleTable, seed: number, batchSize: number): Throughput {
  const t0 = performance.now();
  let bytes = 0;
  for (const text of copyBatches(table, seed, batchSize)) bytes += text.length;
  if (!bytes) throw new Error("nothing generated");
  return through(table.rows, (performance.now() - t0) / 1000);
}

/**
 * Baselines connect like libpq does, with TCP_NODELAY (see lib/engine/pg-socket.ts): without it every
 * COPY statement waits out a delayed ACK, which measures the client library, not COPY.
 */
const baselineClient = (url: string, noDelay = true) => {
  const options = { max: 1, onnotice: () => {} };
  return postgres(url, noDelay ? withNoDelay(options) : options);
};

/** Baseline: plain COPY, one statement (and commit) per batch, into an empty table of the same shape. */
export async function rawCopy(
  url: string,
  table: SampleTable,
  seed: number,
  batchSize: number,
  opts = { noDelay: true },
): Promise<Throughput> {
  const sql = baselineClient(url, opts.noDelay);
  try {
    await sql.unsafe(`drop table if exists bench_raw_copy`);
    await sql.unsafe(DDL("bench_raw_copy"));
    await sql`checkpoint`;
    const t0 = performance.now();
    for (const text of copyBatches(table, seed, batchSize)) await copyText(sql, "bench_raw_copy", text);
    const seconds = (performance.now() - t0) / 1000;
    await sql.unsafe(`drop table bench_raw_copy`);
    return through(table.rows, seconds);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Baseline: per batch, one transaction that COPYs into a temp table and upserts on the primary key. */
export async function copyUpsert(url: string, table: SampleTable, seed: number, batchSize: number): Promise<Throughput> {
  const sql = baselineClient(url);
  const updates = SAMPLE_COLUMNS.filter((c) => c.name !== "id")
    .map((c) => `${q(c.name)} = excluded.${q(c.name)}`)
    .join(", ");
  try {
    await sql.unsafe(`drop table if exists bench_upsert`);
    await sql.unsafe(DDL("bench_upsert"));
    await sql`checkpoint`;
    const t0 = performance.now();
    for (const text of copyBatches(table, seed, batchSize)) {
      await sql.begin(async (tx) => {
        await tx.unsafe(`create temp table if not exists bench_stage (like bench_upsert) on commit delete rows`);
        await copyText(tx, "bench_stage", text);
        await tx.unsafe(
          `insert into bench_upsert (${COLUMN_LIST}) select ${COLUMN_LIST} from bench_stage on conflict (id) do update set ${updates}`,
        );
      });
    }
    const seconds = (performance.now() - t0) / 1000;
    await sql.unsafe(`drop table bench_upsert`);
    return through(table.rows, seconds);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
