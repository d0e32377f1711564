import type postgres from "postgres";
import { notify } from "./notify";
import { LEASED_SQL } from "./sql-lists";
import { openConfig } from "@/lib/secrets";

/**
 * The hot SQL of the queue. Table jobs are the queue: claimed with FOR UPDATE SKIP LOCKED, held
 * by a lease (worker_id + attempt + expiry) that a heartbeat renews. Every worker write is guarded
 * by holdLease, so a worker that lost its lease cannot corrupt state.
 * Lock order everywhere: table job rows first, then the parent sync job.
 */
export type ClaimedTable = {
  id: string;
  sync_job_id: string;
  sync_id: string;
  table_name: string;
  num_attempts: number;
  cursor: unknown;
  batches: number;
  run_type: "normal" | "resync";
  flow_execution_group_id: string;
  integration_id: string;
  source: unknown;
  destination: unknown;
  schema_changes: "propagate" | "fail";
};

export type Lease = { tableJobId: string; workerId: string; attempt: number };

export const leaseOf = (claim: ClaimedTable, workerId: string): Lease => ({ tableJobId: claim.id, workerId, attempt: claim.num_attempts });

const CLAIM = (where: string, order: string) => `
  with next as (select id from table_jobs where ${where} order by ${order} limit 1 for update skip locked)
  update table_jobs t set status = 'running', worker_id = $1,
         lease_expires_at = now() + make_interval(secs => $2::float8 / 1000),
         num_attempts = t.num_attempts + 1, started_at = coalesce(t.started_at, now()), stage = 'extracting'
    from next where t.id = next.id
  returning t.id`;
// Each branch is served by its own partial index (table_jobs_claim_idx, table_jobs_lease_idx).
const CLAIM_QUEUED = CLAIM("status = 'queued' and run_after <= now()", "run_after, position");
const CLAIM_EXPIRED = CLAIM("status = 'running' and lease_expires_at < now()", "lease_expires_at");

/** queued → running: a queued table whose backoff has passed, else one whose holder's lease expired (crash recovery). */
export async function claimTable(sql: postgres.Sql, workerId: string, leaseMs: number): Promise<ClaimedTable | null> {
  return sql.begin(async (tx) => {
    let [row] = await tx.unsafe<{ id: string }[]>(CLAIM_QUEUED, [workerId, leaseMs]);
    row ??= (await tx.unsafe<{ id: string }[]>(CLAIM_EXPIRED, [workerId, leaseMs]))[0];
    if (!row) return null;
    const [claim] = await tx<ClaimedTable[]>`
      select t.id, t.sync_job_id, t.sync_id, t.table_name, t.num_attempts, t.cursor, t.batches,
             p.run_type, p.flow_execution_group_id, p.integration_id, s.source, s.destination, s.schema_changes
        from table_jobs t join sync_jobs p on p.id = t.sync_job_id join syncs s on s.id = t.sync_id
       where t.id = ${row.id}`;
    const [started] = await tx`
      update sync_jobs set status = 'running', started_at = coalesce(started_at, now())
       where id = ${claim.sync_job_id} and status = 'queued' returning id`;
    if (started)
      await notify(tx, {
        syncJobId: claim.sync_job_id,
        syncId: claim.sync_id,
        integrationId: claim.integration_id,
        status: "running",
        kind: "job",
      });
    await notify(tx, {
      syncJobId: claim.sync_job_id,
      syncId: claim.sync_id,
      integrationId: claim.integration_id,
      tableJobId: claim.id,
      status: "running",
      kind: "table",
    });
    return { ...claim, source: openConfig(claim.source), destination: openConfig(claim.destination) }; // credentials are sealed at rest
  });
}

/**
 * Locks our table job row for the rest of the transaction and says whether we still hold it.
 * A worker that lost its lease (or whose table is being canceled) must not write.
 */
export async function holdLease(tx: postgres.TransactionSql | postgres.ReservedSql, lease: Lease): Promise<"held" | "canceling" | "lost"> {
  const [row] = await tx<{ status: string }[]>`
    select status from table_jobs
     where id = ${lease.tableJobId} and worker_id = ${lease.workerId} and num_attempts = ${lease.attempt}
     for update`.execute(); // sent at once: a pipelined batch transaction relies on the order (lib/engine/warehouse/pipelined.ts)
  if (!row) return "lost";
  return row.status === "running" ? "held" : row.status === "canceling" ? "canceling" : "lost";
}

/**
 * Renews every lease this worker holds; returns the status of each still held (missing = lost).
 * A row that a batch holds locked is passed over (that batch renews it as it commits) and reported
 * from its last committed state: waiting for it would hold the rows already renewed, so the other
 * tables' batches would queue behind this statement, and it behind that batch.
 */
export async function renewLeases(sql: postgres.Sql, workerId: string, ids: string[], leaseMs: number) {
  if (!ids.length) return new Map<string, string>();
  const rows = await sql<{ id: string; status: string }[]>`
    with held as (
      select id, status from table_jobs
       where worker_id = ${workerId} and id = any(${ids}) and status in (${sql.unsafe(LEASED_SQL)})),
    free as (
      select t.id from table_jobs t join held using (id)
       for update of t skip locked),
    renewed as (
      update table_jobs t set lease_expires_at = now() + make_interval(secs => ${leaseMs}::float8 / 1000)
        from free where t.id = free.id and t.worker_id = ${workerId} and t.status in (${sql.unsafe(LEASED_SQL)})
      returning t.id, t.status)
    select id, status from renewed
    union all
    select id, status from held where id not in (select id from free)`;
  return new Map(rows.map((r) => [r.id, r.status]));
}
