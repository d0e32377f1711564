import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { triggerRun } from "../../lib/jobs/trigger";
import { waitFor } from "../helpers/api";
import { makeSampleSync, tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { SampleTableData } from "../../lib/engine/sources/sample";

let env: Awaited<ReturnType<typeof freshDatabase>>;
const children: ChildProcess[] = [];

/** A real `npm run worker` process; short leases keep the test quick (the default lease is 15 s). */
function startWorkerProcess(extra: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/bin/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: env.url,
      LEASE_MS: "3000",
      HEARTBEAT_MS: "500",
      WORKER_POLL_MS: "300",
      LOG_LEVEL: "error",
      ...extra,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  env = await freshDatabase();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await env?.drop();
});

describe("crash recovery", () => {
  it("resumes a table from its checkpoint after SIGKILL of its worker; the warehouse holds every row exactly once", async () => {
    const table = { name: "orders", rows: 30_000, rowsPerSecond: 6000, badRecordRate: 0.001 };
    const { sync, schema } = await makeSampleSync(env.db, [table]);
    const first = startWorkerProcess();
    const job = await triggerRun(env.db, { syncId: sync.id, runType: "normal", triggeredBy: "schedule" });

    // Let it commit a few batches, then kill it without warning.
    await waitFor(async () => ((await tablesOf(env.sql, job.id)).orders.num_extracted_records >= 6000 ? true : undefined), 30_000);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const before = (await tablesOf(env.sql, job.id)).orders;
    expect(before.status).toBe("running");

    startWorkerProcess();
    const ended = await waitForEnd(env.sql, job.id, 60_000);
    expect(ended.status).toBe("completed");
    const { orders } = await tablesOf(env.sql, job.id);
    const bad = new SampleTableData(table, 1).nBad;
    expect(orders).toMatchObject({
      status: "completed",
      num_attempts: 2,
      num_extracted_records: 30_000,
      num_loaded_records: 30_000 - bad,
      num_errors: bad,
    });
    const [{ n, distinct }] = await env.sql.unsafe(`select count(*)::int as n, count(distinct id)::int as distinct from ${schema}.orders`);
    expect(n).toBe(30_000 - bad);
    expect(distinct).toBe(n);
    const [{ errors }] =
      await env.sql`select count(*)::int as errors, count(distinct record_key)::int as keys from sync_errors where parent_job_id = ${job.id}`;
    expect(errors).toBe(bad);
  });

  it("resumes a resync killed mid-load from its shadow: every row once, exact counts", async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL"); // the workers of the test before
    const table = { name: "accounts", rows: 20_000 };
    const { sync, schema } = await makeSampleSync(env.db, [table]);
    const small = { BATCH_SIZE: "500" }; // 40 batches, so the kill falls between commits, with the next one open
    const loader = startWorkerProcess(small);
    const first = await triggerRun(env.db, { syncId: sync.id, runType: "normal", triggeredBy: "schedule" });
    expect((await waitForEnd(env.sql, first.id, 60_000)).status).toBe("completed");
    // The source lost its last 2,000 rows; throttled so the resync is still loading when it is killed.
    await env.sql`update syncs set source = jsonb_set(jsonb_set(source, '{tables,0,rows}', '18000'), '{tables,0,rowsPerSecond}', '6000')
                   where id = ${sync.id}`;
    const job = await triggerRun(env.db, { syncId: sync.id, runType: "resync", triggeredBy: "schedule" });
    await waitFor(async () => ((await tablesOf(env.sql, job.id)).accounts.num_extracted_records >= 6000 ? true : undefined), 30_000);
    loader.kill("SIGKILL");
    await new Promise((r) => loader.once("exit", r));
    expect((await tablesOf(env.sql, job.id)).accounts.status).toBe("running");

    startWorkerProcess(small);
    const ended = await waitForEnd(env.sql, job.id, 60_000);
    expect(ended.status).toBe("completed");
    expect((await tablesOf(env.sql, job.id)).accounts).toMatchObject({
      status: "completed",
      num_attempts: 2,
      num_extracted_records: 18_000,
      num_loaded_records: 18_000,
      num_inserted_records: 0,
      num_updated_records: 18_000,
      num_deleted_records: 2_000,
    });
    const [{ n, distinct, max }] = await env.sql.unsafe(
      `select count(*)::int as n, count(distinct id)::int as distinct, max(id)::int as max from ${schema}.accounts`,
    );
    expect({ n, distinct, max }).toEqual({ n: 18_000, distinct: 18_000, max: 18_000 });
    const [{ shadows }] =
      await env.sql`select count(*)::int as shadows from pg_tables where schemaname = ${schema} and tablename like '_sc_shadow_%'`;
    expect(shadows).toBe(0);
  }, 120_000);
});
