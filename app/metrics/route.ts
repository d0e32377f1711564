import { Registry, Gauge } from "prom-client";
import { getSql } from "@/db/client";

export const dynamic = "force-dynamic";

/**
 * Prometheus metrics, read from the database at scrape time: any web instance reports the
 * state of every worker, and nothing lives only in one process's memory.
 */
export async function GET() {
  const sql = getSql();
  const registry = new Registry();
  const jobs = new Gauge({ name: "sync_console_jobs", help: "Sync jobs by status", labelNames: ["status"], registers: [registry] });
  const tables = new Gauge({ name: "sync_console_table_jobs_active", help: "Non-terminal table jobs by status", labelNames: ["status"], registers: [registry] });
  const oldest = new Gauge({ name: "sync_console_oldest_queued_table_seconds", help: "Age of the oldest claimable table job", registers: [registry] });
  const workers = new Gauge({ name: "sync_console_workers_holding_leases", help: "Distinct workers holding a table lease", registers: [registry] });

  const [byStatus, active, [queue]] = await Promise.all([
    sql<{ status: string; n: number }[]>`select status, count(*)::int as n from sync_jobs group by status`,
    sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from table_jobs where status in ('queued','running','canceling') group by status`,
    sql<{ age: number | null; workers: number }[]>`
      select extract(epoch from now() - min(run_after)) filter (where status = 'queued')::float8 as age,
             count(distinct worker_id) filter (where status = 'running')::int as workers
        from table_jobs where status in ('queued','running')`,
  ]);
  for (const r of byStatus) jobs.set({ status: r.status }, r.n);
  for (const r of active) tables.set({ status: r.status }, r.n);
  oldest.set(Math.max(0, queue?.age ?? 0));
  workers.set(queue?.workers ?? 0);
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
}
