import type postgres from "postgres";
import { TERMINAL_SQL } from "@/lib/jobs/state/sql-lists";
import { log } from "@/lib/runtime/log";

/** Deletes jobs past their purgeAt, with their table jobs and errors (foreign keys cascade); nothing else. */
export async function purgeExpiredJobs(sql: postgres.Sql, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await sql`
      delete from sync_jobs where id in (
        select id from sync_jobs where purge_at < now() and status in (${sql.unsafe(TERMINAL_SQL)})
         order by purge_at limit ${batch} for update skip locked)
      returning id`;
    total += rows.length;
    if (rows.length < batch) break;
  }
  if (total) log.info("purged expired sync jobs", { count: total });
  return total;
}

export function startPurger(sql: postgres.Sql, everyMs = 60_000): () => void {
  const timer = setInterval(() => void purgeExpiredJobs(sql).catch((e) => log.warn("purge failed", { err: String(e) })), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
