import type postgres from "postgres";
import { TERMINAL_SQL } from "@/lib/jobs/state/sql-lists";
import { config } from "@/lib/runtime/config";
import { log } from "@/lib/runtime/log";

/** Deletes jobs past their purgeAt, with their table jobs and errors (foreign keys cascade). */
export async function purgeExpiredJobs(sql: postgres.Sql, batch = 500): Promise<number> {
  const total = await inBatches(
    (limit) => sql`
      delete from sync_jobs where id in (
        select id from sync_jobs where purge_at < now() and status in (${sql.unsafe(TERMINAL_SQL)})
         order by purge_at limit ${limit} for update skip locked)
      returning id`,
    batch,
  );
  if (total) log.info("purged expired sync jobs", { count: total });
  return total;
}

/**
 * Deletes schedule events older than RETENTION_DAYS, as the jobs they fired go: a schedule left on
 * a disabled sync records a skip every slot, which would otherwise grow without bound.
 */
export async function purgeOldScheduleEvents(sql: postgres.Sql, batch = 5_000): Promise<number> {
  const total = await inBatches(
    (limit) => sql`
      delete from schedule_events where id in (
        select id from schedule_events where created_at < now() - make_interval(days => ${config.retentionDays()})
         order by created_at limit ${limit})
      returning id`,
    batch,
  );
  if (total) log.info("purged old schedule events", { count: total });
  return total;
}

/** Runs `step` (a delete of at most `limit` rows) until it deletes fewer; returns how many went. */
async function inBatches(step: (limit: number) => PromiseLike<readonly unknown[]>, limit: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = (await step(limit)).length;
    total += n;
    if (n < limit) return total;
  }
}

export function startPurger(sql: postgres.Sql, everyMs = 60_000): () => void {
  const purge = async () => {
    await purgeExpiredJobs(sql);
    await purgeOldScheduleEvents(sql);
  };
  const timer = setInterval(() => void purge().catch((e) => log.warn("purge failed", { err: String(e) })), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
