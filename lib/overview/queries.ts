import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/**
 * The two questions of the home page, each one statement, so the page costs the same with 2
 * integrations or 200 × 10 syncs:
 * - health: each sync's newest job by one probe of sync_jobs_sync_created_idx (and its newest
 *   failure by one probe of sync_jobs_sync_status_created_idx), grouped per integration;
 * - latest failures: a walk of the partial index sync_jobs_failed_ended_idx, newest first.
 */

export type HealthRow = {
  id: string;
  name: string;
  num_syncs: number;
  failing: number;
  running: number;
  never_run: number;
  disabled: number;
  healthy: number;
  with_record_errors: number;
  last_failure_at: Date | string | null;
};

export async function integrationHealth(db: DbOrTx): Promise<HealthRow[]> {
  // The ORDER BYs say NULLS LAST to match the indexes drizzle-kit declared (see lib/jobs/queries.ts).
  const rows = await db.execute<HealthRow>(sql`
    with latest as (
      select s.integration_id, s.disabled, j.status, j.num_errors, f.ended_at as failed_at
      from syncs s
      left join lateral (
        select status, num_errors from sync_jobs
        where sync_id = s.id
        order by created_at desc nulls last, id desc nulls last
        limit 1
      ) j on true
      left join lateral (
        select ended_at from sync_jobs
        where sync_id = s.id and status = 'failed'
        order by created_at desc nulls last, id desc nulls last
        limit 1
      ) f on true
    ), health as (
      select integration_id,
        count(*)::int as num_syncs,
        count(*) filter (where disabled)::int as disabled,
        count(*) filter (where not disabled and status in ('queued','running','canceling'))::int as running,
        count(*) filter (where not disabled and status is null)::int as never_run,
        count(*) filter (where not disabled and status = 'failed')::int as failing,
        count(*) filter (where not disabled and status in ('completed','canceled'))::int as healthy,
        count(*) filter (where not disabled and status = 'completed' and num_errors > 0)::int as with_record_errors,
        max(failed_at) as last_failure_at
      from latest
      group by integration_id
    )
    select i.id, i.name,
      coalesce(h.num_syncs, 0) as num_syncs, coalesce(h.failing, 0) as failing, coalesce(h.running, 0) as running,
      coalesce(h.never_run, 0) as never_run, coalesce(h.disabled, 0) as disabled, coalesce(h.healthy, 0) as healthy,
      coalesce(h.with_record_errors, 0) as with_record_errors, h.last_failure_at
    from integrations i
    left join health h on h.integration_id = i.id
    order by lower(i.name), i.id`);
  return [...rows];
}

export type FailureRow = {
  id: string;
  sync_id: string;
  sync_name: string;
  integration_id: string;
  integration_name: string;
  run_type: string;
  ended_at: Date | string;
  error_message: string | null;
  num_errors: number;
  failed_tables: string[] | null;
  sync_recovered: boolean;
};

export async function latestFailures(db: DbOrTx, limit: number): Promise<FailureRow[]> {
  if (limit <= 0) return [];
  const rows = await db.execute<FailureRow>(sql`
    select j.id, j.sync_id, s.name as sync_name, j.integration_id, i.name as integration_name, j.run_type,
      j.ended_at, j.error_message, j.num_errors,
      (select array_agg(t.table_name order by t.position, t.table_name) from table_jobs t
        where t.sync_job_id = j.id and t.status = 'failed') as failed_tables,
      exists (select 1 from sync_jobs l
        where l.sync_id = j.sync_id and l.status = 'completed' and l.created_at > j.created_at) as sync_recovered
    from sync_jobs j
    join syncs s on s.id = j.sync_id
    join integrations i on i.id = s.integration_id
    where j.status = 'failed'
    order by j.ended_at desc nulls last
    limit ${limit}`);
  return [...rows];
}
