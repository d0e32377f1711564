import type postgres from "postgres";
import type { Db } from "@/db/client";
import { CHANNELS } from "@/lib/jobs/state/channels";
import { newFlowExecutionGroupId, newId } from "@/lib/ids";
import { log } from "@/lib/runtime/log";
import { computeNextRun } from "./next-run";
import type { ScheduleOutcome } from "./schedules";

export type FiredSlot = {
  syncId: string;
  slotAt: Date;
  outcome: ScheduleOutcome | "already_recorded";
  syncJobId?: string;
  reason?: string;
};

type Due = { sync_id: string; cron: string; timezone: string; slot_at: Date };
/** Drizzle's client hands timestamps over as text both ways, so this file speaks ISO strings and epoch ms. */
const iso = (d: Date) => d.toISOString();
type SyncState = { id: string; integration_id: string; tables: string[]; disabled: boolean };

/**
 * Claims up to `limit` due schedules and handles all their slots in one transaction, with a fixed
 * number of statements whatever the number of schedules (a burst of 2,000 at the top of the hour is
 * a few round trips, not 2,000 transactions):
 *   lock the due rows (SKIP LOCKED: rows another scheduler holds are simply not ours this time),
 *   record every slot (unique (sync_id, slot_at): a slot already recorded is never fired again),
 *   insert the jobs and their table jobs (the one-active-job index turns a sync that already has an
 *   active job into a recorded skip, even against a trigger racing us), record the outcomes, and move
 *   each next_run_at past `at` (computed here with croner, written in one statement).
 * Either all of it commits or none, so a crash can neither lose a slot's record nor fire it twice.
 * Returns the handled slots; empty when nothing is due.
 */
export async function fireDueSlots(db: Db, at: Date, limit: number): Promise<FiredSlot[]> {
  const slots = await db.$client.begin(async (tx) => {
    const due: Due[] = (
      await tx<{ sync_id: string; cron: string; timezone: string; slot_ms: number }[]>`
        select sync_id, cron, timezone, extract(epoch from next_run_at)::float8 * 1000 as slot_ms from schedules
         where enabled and next_run_at <= ${iso(at)}::timestamptz
         order by next_run_at, sync_id
         limit ${limit}
           for update skip locked`
    ).map(({ slot_ms, ...d }) => ({ ...d, slot_at: new Date(Math.round(slot_ms)) }));
    if (!due.length) return [];

    const recorded = new Map(
      (
        await tx<{ id: string; sync_id: string }[]>`
          insert into schedule_events (sync_id, slot_at, outcome)
          select * from unnest(${tx.array(due.map((d) => d.sync_id))}::text[],
                               ${tx.array(due.map((d) => iso(d.slot_at)))}::timestamptz[],
                               ${tx.array(due.map(() => "fired"))}::text[])
          on conflict (sync_id, slot_at) do nothing
          returning id, sync_id`
      ).map((e) => [e.sync_id, e.id]),
    );
    const results = new Map<string, Omit<FiredSlot, "syncId" | "slotAt">>();
    for (const d of due) if (!recorded.has(d.sync_id)) results.set(d.sync_id, { outcome: "already_recorded" });

    if (recorded.size) await fire(tx, [...recorded.keys()], results);
    // The schedule row is locked, so its sync cannot be deleted under us; this is belt and braces.
    for (const id of recorded.keys())
      if (!results.has(id)) results.set(id, { outcome: "skipped_error", reason: "The sync no longer exists" });

    const handled = [...results].filter(([id]) => recorded.has(id));
    if (handled.length) {
      await tx`
        update schedule_events e set outcome = u.outcome, sync_job_id = nullif(u.job, '')
          from unnest(${tx.array(handled.map(([id]) => recorded.get(id)!))}::bigint[],
                      ${tx.array(handled.map(([, r]) => r.outcome))}::text[],
                      ${tx.array(handled.map(([, r]) => r.syncJobId ?? ""))}::text[]) as u(id, outcome, job)
         where e.id = u.id`;
    }
    await advance(tx, due, at, results);
    return due.map((d) => ({ syncId: d.sync_id, slotAt: d.slot_at, ...results.get(d.sync_id)! }));
  });
  for (const s of slots) {
    if (s.outcome !== "already_recorded")
      log.debug("schedule slot handled", { syncId: s.syncId, slotAt: s.slotAt.toISOString(), outcome: s.outcome, syncJobId: s.syncJobId });
  }
  if (slots.length) {
    const count = (o: string) => slots.filter((s) => s.outcome === o).length;
    log.info("schedule slots handled", {
      slots: slots.length,
      fired: count("fired"),
      skippedActive: count("skipped_active"),
      skippedDisabled: count("skipped_disabled"),
    });
  }
  return slots;
}

/** Queues one normal run per sync (unless disabled or already active) with one table job per table. */
async function fire(tx: postgres.TransactionSql, syncIds: string[], results: Map<string, Omit<FiredSlot, "syncId" | "slotAt">>) {
  const syncs = await tx<SyncState[]>`
    select id, integration_id, tables, disabled from syncs where id = any(${tx.array(syncIds)}::text[]) order by id
       -- Share-locked, as a trigger does: an edit of a sync commits before its job is made from it, or waits for the job.
       for share`;
  const runnable = syncs.filter((s) => !s.disabled);
  for (const s of syncs) if (s.disabled) results.set(s.id, { outcome: "skipped_disabled", reason: "The sync is disabled" });

  const planned = runnable.map((s) => ({ sync: s, jobId: newId(), group: newFlowExecutionGroupId() }));
  const inserted = new Set(
    planned.length
      ? (
          await tx<{ id: string }[]>`
            insert into sync_jobs (id, flow_execution_group_id, sync_id, integration_id, run_type, status, triggered_by)
            select id, grp, sync_id, integration_id, 'normal', 'queued', 'schedule'
              from unnest(${tx.array(planned.map((p) => p.jobId))}::text[], ${tx.array(planned.map((p) => p.group))}::text[],
                          ${tx.array(planned.map((p) => p.sync.id))}::text[], ${tx.array(planned.map((p) => p.sync.integration_id))}::text[])
                   as u(id, grp, sync_id, integration_id)
            on conflict (sync_id) where status in ('queued','running','canceling') do nothing
            returning id`
        ).map((r) => r.id)
      : [],
  );
  const started = planned.filter((p) => inserted.has(p.jobId));
  const tables = started.flatMap((p) =>
    p.sync.tables.map((tableName, position) => ({ id: newId(), job: p.jobId, sync: p.sync.id, tableName, position })),
  );
  if (tables.length) {
    await tx`
      insert into table_jobs (id, sync_job_id, sync_id, table_name, position)
      select * from unnest(${tx.array(tables.map((t) => t.id))}::text[], ${tx.array(tables.map((t) => t.job))}::text[],
                           ${tx.array(tables.map((t) => t.sync))}::text[], ${tx.array(tables.map((t) => t.tableName))}::text[],
                           ${tx.array(tables.map((t) => t.position))}::int[])`;
  }
  for (const p of started) results.set(p.sync.id, { outcome: "fired", syncJobId: p.jobId });

  const busy = planned.filter((p) => !inserted.has(p.jobId)).map((p) => p.sync.id);
  if (busy.length) {
    const active = new Map(
      (
        await tx<{ sync_id: string; id: string }[]>`
          select sync_id, id from sync_jobs
           where sync_id = any(${tx.array(busy)}::text[]) and status in ('queued','running','canceling')`
      ).map((r) => [r.sync_id, r.id]),
    );
    for (const syncId of busy) {
      const job = active.get(syncId);
      results.set(syncId, { outcome: "skipped_active", syncJobId: job, reason: `A sync job${job ? ` (${job})` : ""} was still active` });
    }
  }
  if (started.length) {
    // One wake-up for the workers (they claim until nothing is left), one event per job for the SSE streams.
    const events = started.map((p) =>
      JSON.stringify({ syncJobId: p.jobId, syncId: p.sync.id, integrationId: p.sync.integration_id, status: "queued", kind: "job" }),
    );
    await tx`select pg_notify(${CHANNELS.work}, ${started[0].jobId})`;
    await tx`select count(pg_notify(${CHANNELS.events}, e)) from unnest(${tx.array(events)}::text[]) as e`;
  }
}

/**
 * The next slot is the first one after `at`, not after the slot just handled: after downtime the
 * missed slots collapse into the one run that just fired instead of firing back to back.
 */
async function advance(tx: postgres.TransactionSql, due: Due[], at: Date, results: Map<string, Omit<FiredSlot, "syncId" | "slotAt">>) {
  const next = new Map<string, Date | null>();
  const nextOf = (d: Due): Date | null => {
    // Schedules share a handful of patterns: compute each (cron, zone) once per batch.
    const key = `${d.cron}\u0000${d.timezone}`;
    if (!next.has(key)) {
      try {
        next.set(key, computeNextRun(d.cron, d.timezone, at));
      } catch (e) {
        log.error("stored schedule no longer parses; it will not fire again", { syncId: d.sync_id, err: String(e) });
        next.set(key, null);
      }
    }
    return next.get(key)!;
  };
  const rows = due.map((d) => ({ d, r: results.get(d.sync_id)!, next: nextOf(d) }));
  await tx`
    update schedules s
       set next_run_at = nullif(u.next_text, '')::timestamptz,
           last_run_at = case when u.outcome = 'fired' then ${iso(at)}::timestamptz else s.last_run_at end,
           last_skipped_at = case when u.outcome like 'skipped%' then ${iso(at)}::timestamptz else s.last_skipped_at end,
           last_skip_reason = case when u.outcome like 'skipped%' then u.reason else s.last_skip_reason end
      from unnest(${tx.array(rows.map((x) => x.d.sync_id))}::text[],
                  ${tx.array(rows.map((x) => x.next?.toISOString() ?? ""))}::text[],
                  ${tx.array(rows.map((x) => x.r.outcome))}::text[],
                  ${tx.array(rows.map((x) => x.r.reason ?? x.r.outcome))}::text[]) as u(sync_id, next_text, outcome, reason)
     where s.sync_id = u.sync_id`;
}
