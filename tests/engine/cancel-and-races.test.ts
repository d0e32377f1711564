import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../lib/errors";
import { Worker } from "../../lib/engine/worker";
import { cancelJob, cancelSyncJobs } from "../../lib/jobs/cancel";
import { finalizeJobIfDone } from "../../lib/jobs/state/finalize";
import { newFlowExecutionGroupId, newId } from "../../lib/ids";
import { triggerRun } from "../../lib/jobs/trigger";
import { waitFor } from "../helpers/api";
import { jobById, makeSampleSync, run, tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";

let env: Awaited<ReturnType<typeof freshDatabase>>;
let worker: Worker;

beforeAll(async () => {
  env = await freshDatabase();
  worker = new Worker({ url: env.url, concurrency: 4 });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await env?.drop();
});

const trigger = (syncId: string, runType: "normal" | "resync" = "normal") =>
  triggerRun(env.db, { syncId, runType, triggeredBy: "apiKey:test" });

describe("concurrency and cancel", () => {
  it("starts exactly one job under 50 concurrent triggers", async () => {
    const { sync } = await makeSampleSync(env.db, [{ name: "t", rows: 10, rowsPerSecond: 20 }]);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => trigger(sync.id)));
    const ok = results.filter((r) => r.status === "fulfilled");
    const conflicts = results.filter(
      (r) => r.status === "rejected" && r.reason instanceof DomainError && r.reason.code === "sync_job_already_queued",
    );
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    const jobId = (ok[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    expect((conflicts[0] as PromiseRejectedResult).reason.details._syncJobId).toBe(jobId);
    const [{ n }] = await env.sql`select count(*)::int as n from sync_jobs where sync_id = ${sync.id}`;
    expect(n).toBe(1);
    await cancelJob(env.db, jobId, "apiKey:test");
    await waitForEnd(env.sql, jobId);
  });

  it("cancels a running table within about a second and records who canceled", async () => {
    const { sync } = await makeSampleSync(env.db, [{ name: "slow", rows: 100_000, rowsPerSecond: 2000 }]);
    const job = await trigger(sync.id);
    await waitFor(async () => ((await tablesOf(env.sql, job.id)).slow.num_extracted_records > 0 ? true : undefined));
    const asked = Date.now();
    await cancelJob(env.db, job.id, "user:ops@example.com");
    const ended = await waitForEnd(env.sql, job.id, 10_000);
    const elapsed = Date.now() - asked;
    expect(ended).toMatchObject({ status: "canceled", canceled_by: "user:ops@example.com" });
    expect(elapsed).toBeLessThan(3000);
    const { slow } = await tablesOf(env.sql, job.id);
    expect(slow.status).toBe("canceled");
    expect(slow.num_extracted_records).toBeLessThan(100_000);
    // A finished job cannot be canceled again.
    await expect(cancelJob(env.db, job.id, "x")).rejects.toMatchObject({ code: "sync_job_not_cancellable" });
  });

  it("cancels a queued job at once, and cancel-all reports when there is nothing to cancel", async () => {
    const { sync } = await makeSampleSync(env.db, [{ name: "a", rows: 10 }]);
    await worker.stop(); // nobody claims: the job stays queued
    try {
      const job = await trigger(sync.id);
      expect(await cancelSyncJobs(env.db, sync.id, "apiKey:test")).toBe(true);
      const ended = await jobById(env.sql, job.id);
      expect(ended).toMatchObject({ status: "canceled", canceled_by: "apiKey:test" });
      expect(ended.started_at).toBeNull();
      expect(await cancelSyncJobs(env.db, sync.id, "apiKey:test")).toBe(false);
    } finally {
      worker = new Worker({ url: env.url, concurrency: 4 });
      await worker.start();
    }
  });

  it("a cancel that came after every table landed (during a resync's swap) leaves the job completed, without a canceler", async () => {
    const { sync } = await makeSampleSync(env.db, [{ name: "swapped", rows: 50 }]);
    const done = await run(env.db, env.sql, sync.id, "resync");
    expect(done.status).toBe("completed");
    // The moment the swap's transaction committed the table while the cancel had already marked the job.
    await env.sql`update sync_jobs set status = 'canceling', canceled_by = 'apiKey:late', ended_at = null where id = ${done.id}`;
    expect(await env.sql.begin((tx) => finalizeJobIfDone(tx, done.id))).toBe("completed");
    expect(await jobById(env.sql, done.id)).toMatchObject({ status: "completed", canceled_by: null });
  });

  it("a resync canceled while its worker was gone is settled by another worker, its shadow table dropped", async () => {
    const { sync, schema } = await makeSampleSync(env.db, [{ name: "orphan", rows: 20 }]);
    expect((await run(env.db, env.sql, sync.id)).status).toBe("completed");
    // What a worker killed mid-resync leaves once the cancel came: a canceling table whose lease ran out, and its shadow.
    const [job] = await env.sql`
      insert into sync_jobs (id, flow_execution_group_id, sync_id, integration_id, run_type, status, triggered_by, canceled_by, started_at)
      select ${newId()}, ${newFlowExecutionGroupId()}, id, integration_id, 'resync', 'canceling', 'test', 'apiKey:test', now() from syncs where id = ${sync.id}
      returning id`;
    const tableJobId = newId();
    await env.sql`
      insert into table_jobs (id, sync_job_id, sync_id, table_name, position, status, worker_id, lease_expires_at, started_at, num_extracted_records, num_loaded_records)
      values (${tableJobId}, ${job.id}, ${sync.id}, 'orphan', 0, 'canceling', 'dead-worker', now() - interval '1 minute', now(), 10, 10)`;
    await env.sql.unsafe(`create table ${schema}._sc_shadow_${tableJobId} (id bigint)`);

    expect((await waitForEnd(env.sql, job.id, 10_000)).status).toBe("canceled");
    expect((await tablesOf(env.sql, job.id)).orphan).toMatchObject({
      status: "canceled",
      num_extracted_records: 10,
      num_loaded_records: 0,
    });
    await waitFor(async () => {
      const left = await env.sql`select 1 from pg_tables where schemaname = ${schema} and tablename = ${`_sc_shadow_${tableJobId}`}`;
      return left.length ? undefined : true;
    }, 10_000);
  });

  it("leaves the warehouse untouched when a resync is canceled", async () => {
    const { sync, schema } = await makeSampleSync(env.db, [{ name: "items", rows: 5000, rowsPerSecond: 2500 }]);
    expect((await run(env.db, env.sql, sync.id)).status).toBe("completed");
    await env.sql`update syncs set source = jsonb_set(source, '{tables,0,rows}', '50000') where id = ${sync.id}`;
    const job = await trigger(sync.id, "resync");
    await waitFor(async () => ((await tablesOf(env.sql, job.id)).items.num_extracted_records > 0 ? true : undefined));
    await cancelJob(env.db, job.id, "apiKey:test");
    expect((await waitForEnd(env.sql, job.id, 10_000)).status).toBe("canceled");
    const [{ n }] = await env.sql.unsafe(`select count(*)::int as n from ${schema}.items`);
    expect(n).toBe(5000);
    // What it had staged went with the shadow: nothing counts as loaded (what it read still does).
    const ended = await jobById(env.sql, job.id);
    expect(ended.num_extracted_records).toBeGreaterThan(0);
    expect(ended).toMatchObject({ num_loaded_records: 0, num_inserted_records: 0, num_updated_records: 0, num_deleted_records: 0 });
    expect((await tablesOf(env.sql, job.id)).items).toMatchObject({ num_loaded_records: 0 });
    const shadows = await env.sql`select tablename from pg_tables where schemaname = ${schema} and tablename like '_sc_shadow_%'`;
    expect(shadows).toHaveLength(0);
  });
});
