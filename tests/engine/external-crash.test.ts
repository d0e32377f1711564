import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SampleTableData } from "../../lib/engine/sources/sample";
import { triggerRun } from "../../lib/jobs/trigger";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { waitFor } from "../helpers/api";
import { tablesOf, waitForEnd } from "../helpers/engine";
import { freshDatabase } from "../helpers/fresh-db";
import { plainDatabase } from "../helpers/plain-db";

/**
 * Exactly once across two databases: workers (real `npm run worker` processes) are SIGKILLed while
 * loading into an external warehouse — at random instants, and exactly between the warehouse's
 * commit and the control plane's — and the warehouse still holds every row once, with counters
 * and error records that match it.
 */
let app: Awaited<ReturnType<typeof freshDatabase>>;
let warehouse: Awaited<ReturnType<typeof plainDatabase>>;
const children: ChildProcess[] = [];

function startWorker(extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/bin/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: app.url,
      LEASE_MS: "2000",
      HEARTBEAT_MS: "400",
      WORKER_POLL_MS: "250",
      BATCH_SIZE: "1000",
      LOG_LEVEL: "error",
      ...extraEnv,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  return child;
}
const exited = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once("exit", r)));

beforeAll(async () => {
  [app, warehouse] = await Promise.all([freshDatabase(), plainDatabase("whk")]);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await Promise.all([app?.drop(), warehouse?.drop()]);
});

async function externalSync(schema: string, tables: { name: string; rows: number; rowsPerSecond?: number; badRecordRate?: number }[]) {
  const integration = await createIntegration(app.db, schema);
  return createSync(app.db, {
    _integrationId: integration.id,
    name: schema,
    source: { type: "sample", seed: 3, tables },
    destination: { type: "postgres", schema, url: warehouse.url },
  });
}

async function expectExact(jobId: string, schema: string, tables: { name: string; rows: number; badRecordRate?: number }[]) {
  const ended = await waitForEnd(app.sql, jobId, 90_000);
  expect(ended.status).toBe("completed");
  const byName = await tablesOf(app.sql, jobId);
  let loadedAll = 0;
  for (const t of tables) {
    const bad = new SampleTableData(t, 3).nBad;
    expect(byName[t.name]).toMatchObject({
      status: "completed",
      num_extracted_records: t.rows,
      num_loaded_records: t.rows - bad,
      num_errors: bad,
    });
    const [{ n, distinct }] = await warehouse.sql.unsafe(
      `select count(*)::int as n, count(distinct id)::int as distinct from ${schema}.${t.name}`,
    );
    expect({ n, distinct }).toEqual({ n: t.rows - bad, distinct: t.rows - bad });
    const [{ errors, keys }] = await app.sql`
      select count(*)::int as errors, count(distinct record_key)::int as keys from sync_errors where child_job_id = ${byName[t.name].id}`;
    expect({ errors, keys }).toEqual({ errors: bad, keys: bad });
    loadedAll += t.rows - bad;
  }
  expect(ended.num_loaded_records).toBe(loadedAll);
}

describe("SIGKILL while loading into an external warehouse", () => {
  it("a worker killed between the warehouse commit and the control plane's loses and repeats nothing", async () => {
    const tables = [{ name: "orders", rows: 6000, badRecordRate: 0.002 }];
    const sync = await externalSync("wh_kill_gap", tables);
    const doomed = startWorker({ SYNC_CONSOLE_CRASH_POINT: "after-warehouse-commit:3" });
    const job = await triggerRun(app.db, { syncId: sync.id, runType: "normal", triggeredBy: "schedule" });
    await exited(doomed);
    expect(doomed.signalCode).toBe("SIGKILL");
    // The warehouse is one batch ahead of the control plane: exactly the window under test.
    const [{ batches }] = await warehouse.sql`select batches from wh_kill_gap._sync_console_state`;
    expect(batches).toBe(3);
    expect((await tablesOf(app.sql, job.id)).orders.batches).toBe(2);
    startWorker();
    await expectExact(job.id, "wh_kill_gap", tables);
  }, 90_000);

  it("every worker killed at random instants, again and again: rows and counters still exact", async () => {
    const tables = [
      { name: "orders", rows: 9000, rowsPerSecond: 1000, badRecordRate: 0.001 },
      { name: "payments", rows: 5000, rowsPerSecond: 1000, badRecordRate: 0.002 },
    ];
    const sync = await externalSync("wh_kill_random", tables);
    let workers = [startWorker(), startWorker()];
    const job = await triggerRun(app.db, { syncId: sync.id, runType: "normal", triggeredBy: "schedule" });
    let seed = 20261201;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Three rounds, each at a point only reachable by the workers of that round (the job lands 70
    // batches of 200 rows in all), plus a random delay: every kill falls mid-run, at a random instant.
    const kills = [5, 20, 35];
    for (const threshold of kills) {
      await waitFor(
        async () => {
          const ts = Object.values(await tablesOf(app.sql, job.id));
          return ts.reduce((n, t) => n + t.batches, 0) >= threshold ? true : undefined;
        },
        60_000,
        25,
      );
      await new Promise((r) => setTimeout(r, random() * 300));
      expect((await app.sql`select status from sync_jobs where id = ${job.id}`)[0].status).toBe("running");
      const leased = Object.values(await tablesOf(app.sql, job.id)).filter((t) => t.status === "running");
      expect(leased.length).toBeGreaterThan(0); // the kill lands on a table mid-load
      for (const w of workers) w.kill("SIGKILL");
      await Promise.all(workers.map(exited));
      workers = [startWorker(), startWorker()];
    }
    await expectExact(job.id, "wh_kill_random", tables);
  }, 150_000);
});
