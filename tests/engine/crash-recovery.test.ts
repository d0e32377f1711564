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
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/bin/worker.ts"], {
    env: { ...process.env, DATABASE_URL: env.url, LEASE_MS: "3000", HEARTBEAT_MS: "500", WORKER_POLL_MS: "300", LOG_LEVEL: "error" },
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
});
