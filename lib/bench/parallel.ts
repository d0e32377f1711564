import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { withNoDelay } from "@/lib/engine/pg-socket";
import type { BenchDb } from "./database";
import { expectStatus, makeSampleSync, trigger } from "./jobs";
import { COLUMN_LIST, DDL, type Throughput } from "./load";
import { encodeAll } from "./warehouse";

/**
 * Many tables at once on separate worker processes, beside as many raw COPYs running in parallel
 * (pre-encoded rows: the server's limit for the same writes); and the memory of one worker process
 * loading a table far bigger than a batch.
 */
export type ParallelResults = {
  tables: number;
  rowsPerTable: number;
  workers: number;
  engine: Throughput;
  parallelCopy: Throughput;
  rss: { rows: number; maxMiB: number; startMiB: number; seconds: number };
};

const through = (rows: number, seconds: number): Throughput => ({ rows, seconds, rowsPerSecond: rows / seconds });

function startWorkerProcess(url: string, concurrency: number): ChildProcess {
  // WORKER_FLAGS adds node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) when looking into a run.
  const flags = process.env.WORKER_FLAGS?.split(" ").filter(Boolean) ?? [];
  return spawn(process.execPath, [...flags, "--import", "tsx", "lib/bin/worker.ts"], {
    env: { ...process.env, DATABASE_URL: url, TABLE_CONCURRENCY: String(concurrency), LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

const rssMiB = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
};

/** N tables of one sync on `workers` worker processes; rows ÷ (last table's end − first table's start). */
async function engineParallel(env: BenchDb, tables: number, rows: number, workers: number): Promise<Throughput> {
  const sync = await makeSampleSync(
    env.db,
    Array.from({ length: tables }, (_, i) => ({ name: `par_${i}`, rows })),
    11,
  );
  const procs = Array.from({ length: workers }, () => startWorkerProcess(env.url, Math.ceil(tables / workers)));
  try {
    await new Promise((r) => setTimeout(r, 4000)); // let them boot before the trigger, so boot time is not measured
    await env.sql`checkpoint`;
    const jobId = await trigger(env.db, sync.id, "normal");
    await expectStatus(env.sql, jobId, "completed", { timeoutMs: 600_000, everyMs: 250 });
    const [t] = await env.sql<{ s: number; loaded: number }[]>`
      select extract(epoch from max(ended_at) - min(started_at))::float8 as s, sum(num_loaded_records)::float8 as loaded
        from table_jobs where sync_job_id = ${jobId}`;
    if (t.loaded !== tables * rows) throw new Error(`parallel load moved ${t.loaded} rows, expected ${tables * rows}`);
    return through(tables * rows, t.s);
  } finally {
    await Promise.all(procs.map(stopProcess));
  }
}

/** Baseline: the same number of connections, each COPYing pre-encoded batches into its own table at once. */
async function parallelCopy(url: string, tables: number, texts: Buffer[], rows: number): Promise<Throughput> {
  const clients = Array.from({ length: tables }, () => postgres(url, withNoDelay({ max: 1, onnotice: () => {} })));
  try {
    await Promise.all(clients.map((sql, i) => sql.unsafe(`drop table if exists bench_par_${i}; ${DDL(`bench_par_${i}`)}`).simple()));
    await clients[0]`checkpoint`;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (sql, i) => {
        for (const text of texts) {
          const writable = await sql.unsafe(`copy bench_par_${i} (${COLUMN_LIST}) from stdin`).writable();
          await pipeline(Readable.from([text]), writable);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all(clients.map((sql, i) => sql.unsafe(`drop table bench_par_${i}`)));
    return through(tables * rows, seconds);
  } finally {
    await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
  }
}

/** One worker process loading one big table; its resident memory sampled every 250 ms. */
async function workerMemory(env: BenchDb, rows: number): Promise<ParallelResults["rss"]> {
  const sync = await makeSampleSync(env.db, [{ name: "rss_rows", rows }], 13);
  const proc = startWorkerProcess(env.url, 1);
  try {
    await new Promise((r) => setTimeout(r, 4000));
    const startMiB = rssMiB(proc.pid!);
    let maxMiB = startMiB;
    const timer = setInterval(() => {
      try {
        maxMiB = Math.max(maxMiB, rssMiB(proc.pid!));
      } catch {
        /* exited */
      }
    }, 250);
    const t0 = performance.now();
    const jobId = await trigger(env.db, sync.id, "normal");
    try {
      await expectStatus(env.sql, jobId, "completed", { timeoutMs: 1_200_000, everyMs: 500 });
    } finally {
      clearInterval(timer);
    }
    return { rows, maxMiB, startMiB, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await stopProcess(proc);
  }
}

export async function measureParallel(env: BenchDb, step: (m: string) => void): Promise<ParallelResults> {
  const tables = 8;
  const rowsPerTable = Number(process.env.BENCH_PARALLEL_ROWS ?? 1_000_000);
  const workers = 2;
  step(`encode ${rowsPerTable} rows for the parallel COPY baseline`);
  const texts = encodeAll({ name: "par", rows: rowsPerTable }, 11, 5000);
  step(`${tables} parallel raw COPYs of pre-encoded rows`);
  const copy = await parallelCopy(env.url, tables, texts, rowsPerTable);
  step(`engine: ${tables} tables × ${rowsPerTable} rows on ${workers} worker processes`);
  const engine = await engineParallel(env, tables, rowsPerTable, workers);
  const rssRows = Number(process.env.BENCH_RSS_ROWS ?? 10_000_000);
  step(`worker memory while loading ${rssRows} rows`);
  const rss = await workerMemory(env, rssRows);
  return { tables, rowsPerTable, workers, engine, parallelCopy: copy, rss };
}

const rate = (t: Throughput) => `${Math.round(t.rowsPerSecond).toLocaleString("en-US")} rows/s (${t.seconds.toFixed(2)} s)`;

export function renderParallelSection(p: ParallelResults): string {
  const share = p.engine.rowsPerSecond / p.parallelCopy.rowsPerSecond;
  return `## Many tables at once, and memory

| Measure | Measured | Goal | Goal met | Baseline (same run) | Ratio |
|---|---|---|---|---|---|
| ${p.tables} tables × ${p.rowsPerTable.toLocaleString("en-US")} rows, one sync, ${p.workers} worker processes | ${rate(p.engine)} | ≥ 70 % of parallel COPY | ${share >= 0.7 ? "✅ yes" : "❌ no"} | ${p.tables} parallel raw COPYs of pre-encoded rows: ${rate(p.parallelCopy)} | ${Math.round(share * 100)} % |
| Worker process RSS while loading ${p.rss.rows.toLocaleString("en-US")} rows (${p.rss.seconds.toFixed(0)} s) | max ${p.rss.maxMiB.toFixed(0)} MiB (idle ${p.rss.startMiB.toFixed(0)} MiB) | < 300 MiB | ${p.rss.maxMiB < 300 ? "✅ yes" : "❌ no"} | — | — |

The engine figure is rows ÷ (last table's \`endedAt\` − first table's \`startedAt\`); the worker processes were up
before the trigger, each running 4 tables at once in one Node process. At most two batches of a table are in memory
on the own database (one being generated and encoded, one landing); RSS is the whole process's resident memory,
V8's heap included, sampled every 250 ms, with Node's default heap settings.
`;
}
