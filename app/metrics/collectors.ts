import type postgres from "postgres";
import { Gauge, type Registry } from "prom-client";

/**
 * What /metrics reports, read from the database at scrape time: any web instance reports the
 * state of every worker, and nothing lives only in one process's memory. A collector registers
 * its metrics on the scrape's registry and sets them; add one by appending to `collectors`.
 */
export type Collector = (sql: postgres.Sql, registry: Registry) => Promise<void>;

const jobsByStatus: Collector = async (sql, registry) => {
  const gauge = new Gauge({ name: "sync_console_jobs", help: "Sync jobs by status", labelNames: ["status"], registers: [registry] });
  const rows = await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from sync_jobs group by status`;
  for (const r of rows) gauge.set({ status: r.status }, r.n);
};

const activeTableJobs: Collector = async (sql, registry) => {
  const gauge = new Gauge({
    name: "sync_console_table_jobs_active",
    help: "Non-terminal table jobs by status",
    labelNames: ["status"],
    registers: [registry],
  });
  const rows = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from table_jobs where status in ('queued','running','canceling') group by status`;
  for (const r of rows) gauge.set({ status: r.status }, r.n);
};

const queue: Collector = async (sql, registry) => {
  const oldest = new Gauge({
    name: "sync_console_oldest_queued_table_seconds",
    help: "Age of the oldest claimable table job",
    registers: [registry],
  });
  const workers = new Gauge({
    name: "sync_console_workers_holding_leases",
    help: "Distinct workers holding a table lease",
    registers: [registry],
  });
  // FILTER belongs to the aggregate (min), not to extract(): `extract(...) filter (...)` is a syntax error.
  const [row] = await sql<{ age: number | null; workers: number }[]>`
    select extract(epoch from now() - min(run_after) filter (where status = 'queued'))::float8 as age,
           (count(distinct worker_id) filter (where status = 'running'))::int as workers
      from table_jobs where status in ('queued','running')`;
  oldest.set(Math.max(0, row?.age ?? 0));
  workers.set(row?.workers ?? 0);
};

export const collectors: Collector[] = [jobsByStatus, activeTableJobs, queue];
