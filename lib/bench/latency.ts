import postgres from "postgres";
import { performance } from "node:perf_hooks";
import { cancelJob } from "@/lib/jobs/cancel";
import type { BenchDb } from "./database";
import { expectStatus, makeSampleSync, trigger } from "./jobs";
import { jitter, type Latency, sleep, summarize } from "./stats";

/**
 * Baseline: a bare NOTIFY from one connection to a LISTEN on another, on the same server — the floor
 * under any NOTIFY-driven pickup or cancel.
 */
export async function notifyRoundTrip(url: string, samples = 100): Promise<Latency> {
  const listener = postgres(url, { max: 1, onnotice: () => {} });
  const sender = postgres(url, { max: 1, onnotice: () => {} });
  const sentAt = new Map<string, number>();
  const took: number[] = [];
  let arrived: (() => void) | undefined;
  try {
    const sub = await listener.listen("bench_ping", (payload) => {
      const t0 = sentAt.get(payload);
      if (t0 !== undefined) took.push(performance.now() - t0);
      arrived?.();
    });
    await sender`select 1`; // connect before timing
    for (let i = 0; i < samples; i++) {
      const got = new Promise<void>((r) => (arrived = r));
      sentAt.set(String(i), performance.now());
      await sender`select pg_notify('bench_ping', ${String(i)})`;
      await got;
      await jitter(5, 10);
    }
    await sub.unlisten();
    return summarize(took);
  } finally {
    await Promise.all([listener.end({ timeout: 2 }), sender.end({ timeout: 2 })]);
  }
}

/** Baseline: one single-row write transaction, commit included (one WAL flush with default durability). */
export async function commitRoundTrip(sql: postgres.Sql, samples = 100): Promise<Latency> {
  await sql`create table if not exists bench_commit (id serial primary key, at timestamptz not null default now())`;
  const took: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await sql`insert into bench_commit default values`;
    took.push(performance.now() - t0);
    await jitter(2, 5);
  }
  await sql`drop table bench_commit`;
  return summarize(took);
}

/**
 * Pickup: the parent job's startedAt − createdAt, both stamped by the server (createdAt when the
 * trigger transaction began, startedAt when the worker's claim transaction began), over `runs`
 * triggers of a 1-table, 10-row sync while the worker idles on LISTEN between runs.
 */
export async function pickup(env: BenchDb, runs = 40): Promise<Latency> {
  const sync = await makeSampleSync(env.db, [{ name: "tiny", rows: 10 }]);
  const took: number[] = [];
  for (let i = 0; i < runs; i++) {
    await jitter(150, 250); // the worker has gone back to waiting on LISTEN
    const jobId = await trigger(env.db, sync.id);
    await expectStatus(env.sql, jobId, "completed");
    const [row] = await env.sql<{ ms: number }[]>`
      select extract(epoch from started_at - created_at)::float8 * 1000 as ms from sync_jobs where id = ${jobId}`;
    took.push(row.ms);
  }
  return summarize(took);
}

/**
 * Cancel: from the moment `cancelJob` is called to the parent's endedAt (server clock, same host),
 * on a throttled table that is mid-run. The cancel lands at a random point of the throttle cycle.
 */
export async function cancel(env: BenchDb, runs = 10): Promise<Latency> {
  const took: number[] = [];
  for (let i = 0; i < runs; i++) {
    const sync = await makeSampleSync(env.db, [{ name: "slow", rows: 1_000_000, rowsPerSecond: 5_000 }]);
    const jobId = await trigger(env.db, sync.id);
    for (;;) {
      const [t] = await env.sql<{ n: number }[]>`select num_extracted_records as n from table_jobs where sync_job_id = ${jobId}`;
      if (t.n > 0) break;
      await sleep(20);
    }
    await jitter(100, 400);
    const askedAt = Date.now();
    await cancelJob(env.db, jobId, "user:bench@example.com");
    await expectStatus(env.sql, jobId, "canceled", { timeoutMs: 15_000, everyMs: 20 });
    const [row] = await env.sql<{ ended: number }[]>`
      select extract(epoch from ended_at)::float8 * 1000 as ended from sync_jobs where id = ${jobId}`;
    took.push(row.ended - askedAt);
  }
  return summarize(took);
}
