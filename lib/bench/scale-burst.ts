import { type ChildProcess, spawn } from "node:child_process";
import type postgres from "postgres";
import type { Db } from "@/db/client";
import { createIntegration } from "@/lib/syncs/create";
import { sleep } from "./stats";

/**
 * The scheduler burst: BURST syncs (one 10-row `sample` table each, a warehouse schema each) whose
 * schedules are all due at the same second, fired by two `npm run worker` processes (each runs a
 * scheduler and a worker loop). Measured from the outside by polling what is committed every 50 ms:
 * when the slot's jobs are all visible, all started, all ended; and whether any sync got two.
 */

export const BURST = 2_000;

export type BurstFigure = {
  schedules: number;
  created: number;
  createdWithin10s: number;
  allCreatedSeconds: number;
  allStartedSeconds: number;
  allEndedSeconds: number | null;
  duplicates: number;
  firedEvents: number;
};

function spawnWorker(env: NodeJS.ProcessEnv): { proc: ChildProcess; ready: Promise<void> } {
  const proc = spawn(process.execPath, ["--import", "tsx", "lib/bin/worker.ts"], {
    env: { ...env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`worker process exited early (${code})`)));
    proc.stdout!.on("data", (b: Buffer) => {
      if (b.toString().includes("scheduler started")) resolve();
    });
    proc.stderr!.on("data", () => {});
  });
  return { proc, ready };
}

export async function measureBurst(sql: postgres.Sql, db: Db, url: string, step: (msg: string) => void): Promise<BurstFigure> {
  const integration = await createIntegration(db, "Burst");
  step(`burst: ${BURST} syncs with schedules`);
  await sql.unsafe(
    `insert into syncs (id, integration_id, name, source, destination, tables)
     select lpad(to_hex(1795000000), 8, '0') || lpad(to_hex(i), 16, '0'), $1, 'burst ' || i,
            '{"type":"sample","seed":1,"tables":[{"name":"tiny","rows":10}]}'::jsonb,
            jsonb_build_object('type', 'postgres', 'schema', 'burst_wh_' || i), array['tiny']
       from generate_series(1, ${BURST}) i`,
    [integration.id],
  );

  const workers = [spawnWorker({ ...process.env, DATABASE_URL: url }), spawnWorker({ ...process.env, DATABASE_URL: url })];
  try {
    await Promise.all(workers.map((w) => w.ready));
    // A whole second a few seconds ahead: both schedulers are ticking by then.
    const slot = new Date(Math.ceil((Date.now() + 4_000) / 1000) * 1000);
    await sql`
      insert into schedules (sync_id, cron, timezone, enabled, next_run_at)
      select id, '0 0 * * *', 'UTC', true, ${slot.toISOString()}::timestamptz from syncs where integration_id = ${integration.id}`;
    step(`burst: slot at ${slot.toISOString()}`);

    let allCreated = NaN;
    let allStarted = NaN;
    let allEnded: number | null = null;
    const deadline = slot.getTime() + 180_000;
    while (Date.now() < deadline) {
      const [s] = await sql<{ created: number; started: number; ended: number }[]>`
        select count(*)::int as created,
               count(*) filter (where status <> 'queued')::int as started,
               count(*) filter (where status in ('completed','failed','canceled'))::int as ended
          from sync_jobs where integration_id = ${integration.id} and triggered_by = 'schedule'`;
      const at = (Date.now() - slot.getTime()) / 1000;
      if (Number.isNaN(allCreated) && s.created >= BURST) allCreated = at;
      if (Number.isNaN(allStarted) && s.started >= BURST) allStarted = at;
      if (s.ended >= BURST) {
        allEnded = at;
        break;
      }
      await sleep(50);
    }
    const [f] = await sql<{ created: number; within: number; syncs: number; events: number }[]>`
      select count(*)::int as created,
             count(*) filter (where created_at <= ${slot.toISOString()}::timestamptz + interval '10 seconds')::int as within,
             count(distinct sync_id)::int as syncs,
             (select count(*)::int from schedule_events e join syncs s on s.id = e.sync_id
               where s.integration_id = ${integration.id} and e.outcome = 'fired') as events
        from sync_jobs where integration_id = ${integration.id} and triggered_by = 'schedule'`;
    return {
      schedules: BURST,
      created: f.created,
      createdWithin10s: f.within,
      allCreatedSeconds: allCreated,
      allStartedSeconds: allStarted,
      allEndedSeconds: allEnded,
      duplicates: f.created - f.syncs,
      firedEvents: f.events,
    };
  } finally {
    for (const w of workers) {
      if (w.proc.exitCode === null) {
        const exited = new Promise((r) => w.proc.once("exit", r));
        w.proc.kill("SIGTERM");
        await Promise.race([exited, sleep(15_000)]);
      }
    }
  }
}
