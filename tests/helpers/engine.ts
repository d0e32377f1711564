import type postgres from "postgres";
import { type Db } from "../../db/client";
import { triggerRun, type RunType } from "../../lib/jobs/trigger";
import type { SourceConfig } from "../../lib/contracts/sync-config";
import { createIntegration, createSync } from "../../lib/syncs/create";
import { waitFor } from "./api";

type SampleTables = Extract<SourceConfig, { type: "sample" }>["tables"];

export async function makeSampleSync(db: Db, tables: SampleTables, seed = 1) {
  const integration = await createIntegration(db, "engine-test");
  const schema = `wh_${Math.random().toString(36).slice(2, 8)}`;
  const sync = await createSync(db, {
    _integrationId: integration.id,
    name: "engine test",
    source: { type: "sample", seed, tables },
    destination: { type: "postgres", schema },
  });
  return { sync, schema };
}

export type JobRow = Record<string, any>;

export async function jobById(sql: postgres.Sql, id: string): Promise<JobRow> {
  const [job] = await sql`select * from sync_jobs where id = ${id}`;
  return job;
}

export async function tablesOf(sql: postgres.Sql, jobId: string): Promise<Record<string, JobRow>> {
  const rows = await sql`select * from table_jobs where sync_job_id = ${jobId} order by position`;
  return Object.fromEntries(rows.map((r) => [r.table_name, r]));
}

export async function waitForEnd(sql: postgres.Sql, jobId: string, timeoutMs = 60_000): Promise<JobRow> {
  return waitFor(
    async () => {
      const job = await jobById(sql, jobId);
      return ["completed", "failed", "canceled"].includes(job.status) ? job : undefined;
    },
    timeoutMs,
    50,
  ).catch(async (e: Error) => {
    // A run that never ends is a stalled table job: name where each one stands.
    const tableJobs = await sql`
      select table_name, status, stage, num_attempts, worker_id, lease_expires_at, run_after, error_code
        from table_jobs where sync_job_id = ${jobId} order by position`;
    throw new Error(`${e.message}; table jobs: ${JSON.stringify(tableJobs)}`);
  });
}

export async function run(db: Db, sql: postgres.Sql, syncId: string, runType: RunType = "normal", tables?: string[]) {
  const job = await triggerRun(db, { syncId, runType, tables, triggeredBy: "user:test@example.com" });
  return waitForEnd(sql, job.id);
}
