import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../../lib/engine/worker";
import { triggerRun } from "../../lib/jobs/trigger";
import { waitFor } from "../helpers/api";
import { makeSampleSync, tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";

/**
 * The tables of one job load side by side: no batch writes the parent job's row (a running parent
 * shows its tables' sums), so none waits for another table's transaction to release that row, and
 * their batches never queue on each other's locks.
 */
let env: Awaited<ReturnType<typeof freshDatabase>>;
let worker: Worker;

beforeAll(async () => {
  env = await freshDatabase();
  // Leases renewed every 50 ms: a renewal that held some tables' rows while it waited for another's
  // would show up here as a batch waiting on a lock.
  process.env.HEARTBEAT_MS = "50";
  worker = new Worker({ url: env.url, concurrency: 4 });
  await worker.start();
});
afterAll(async () => {
  delete process.env.HEARTBEAT_MS;
  await worker?.stop();
  await env?.drop();
});

describe("tables of one job at once", () => {
  it("load side by side without writing the parent's row or waiting on one another's locks", async () => {
    // Each table: 32 batches of 250 rows, one every 125 ms: all four are mid-load together for seconds,
    // even when a busy machine starts one of them a second or two after the others.
    const tables = ["a", "b", "c", "d"].map((name) => ({ name, rows: 8000, rowsPerSecond: 2000 }));
    const { sync } = await makeSampleSync(env.db, tables);
    process.env.BATCH_SIZE = "250";
    let job;
    try {
      job = await triggerRun(env.db, { syncId: sync.id, runType: "normal", triggeredBy: "user:test@example.com" });
      // All four running, each with a batch in: from here on the parent's row must not change.
      await waitFor(
        async () => {
          const t = Object.values(await tablesOf(env.sql, job!.id));
          return t.length === 4 && t.every((x) => x.status === "running" && x.batches >= 1) ? true : undefined;
        },
        30_000,
        10,
      );
    } finally {
      delete process.env.BATCH_SIZE;
    }
    const parentVersion = async () => (await env.sql`select xmin::text as v from sync_jobs where id = ${job.id}`)[0].v as string;
    const before = await parentVersion();

    // Sample the server while they load: no statement may queue behind another table's batch.
    // The lease renewal never waits (it passes over locked rows), so it must not be seen waiting at
    // all. A batch's lease check may wait for the renewal's one statement to commit: that is named
    // as its blocker, or, if it committed between the two halves of the sample, not found at all.
    // A batch queued behind another table's transaction waits for that whole batch, blocker named.
    const RENEWAL = "renewed as ("; // in renewLeases only (a batch also renews its lease, as it commits)
    const waits: string[] = [];
    let batchesSeen = 0;
    while (batchesSeen < 8) {
      const rows = await env.sql<{ query: string; wait_event: string; blockers: string | null }[]>`
        select a.query, a.wait_event, (select string_agg(left(b.query, 400), ' | ') from pg_stat_activity b where b.pid = any(pg_blocking_pids(a.pid))) as blockers
          from pg_stat_activity a
         where a.datname = current_database() and a.wait_event_type = 'Lock' and a.pid <> pg_backend_pid()`;
      const queued = rows.filter((r) => r.query.includes(RENEWAL) || (r.blockers !== null && !r.blockers.includes(RENEWAL)));
      waits.push(...queued.map((r) => `${r.wait_event}: ${r.query.slice(0, 100)} — blocked by: ${r.blockers?.slice(0, 100)}`));
      const t = Object.values(await tablesOf(env.sql, job.id));
      expect(t.every((x) => x.status === "running")).toBe(true); // 32 batches each: none is near its end yet
      batchesSeen = Math.min(...t.map((x) => x.batches));
    }
    expect(await parentVersion()).toBe(before); // no batch wrote the parent
    expect(waits).toEqual([]);

    const ended = await waitForEnd(env.sql, job.id, 60_000);
    expect(ended).toMatchObject({ status: "completed", num_extracted_records: 32_000, num_loaded_records: 32_000, num_tables_synced: 4 });
    // Each table ran once, start to end: none was dropped along the way (a renewal that took a table
    // claimed while it was in flight for a lost lease abandoned it until the lease expired).
    const attempts = Object.values(await tablesOf(env.sql, job.id)).map((t) => t.num_attempts);
    expect(attempts).toEqual([1, 1, 1, 1]);
  });
});
