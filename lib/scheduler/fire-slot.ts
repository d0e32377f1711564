import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { scheduleEvents, schedules } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { triggerRun } from "@/lib/jobs/trigger";
import { log } from "@/lib/runtime/log";
import { computeNextRun } from "./next-run";
import type { ScheduleOutcome, ScheduleRow } from "./schedules";

export type FiredSlot = {
  syncId: string;
  slotAt: Date;
  outcome: ScheduleOutcome | "already_recorded";
  syncJobId?: string;
  reason?: string;
};

/**
 * Claims one due schedule and handles its slot, all in one transaction:
 *   lock the row (SKIP LOCKED: a row another scheduler holds is simply not ours this tick),
 *   record the slot (unique (sync_id, slot_at): a slot is recorded at most once, whatever races),
 *   trigger the run or record why it was skipped, and move next_run_at past `at`.
 * Either all of it commits or none, so a crash can neither lose a slot's record nor fire it twice.
 * Returns null when nothing is due.
 */
export async function fireNextDueSlot(db: Db, at: Date): Promise<FiredSlot | null> {
  return db.transaction(async (tx) => {
    const [due] = await tx
      .select()
      .from(schedules)
      .where(and(sql`${schedules.enabled}`, lte(schedules.nextRunAt, at)))
      .orderBy(asc(schedules.nextRunAt))
      .limit(1)
      .for("update", { skipLocked: true });
    if (!due?.nextRunAt) return null;
    const slot = await handleSlot(tx, due, due.nextRunAt);
    await advance(tx, due, at, slot);
    return slot;
  });
}

async function handleSlot(tx: DbOrTx, due: ScheduleRow, slotAt: Date): Promise<FiredSlot> {
  const base = { syncId: due.syncId, slotAt };
  const [event] = await tx
    .insert(scheduleEvents)
    .values({ syncId: due.syncId, slotAt, outcome: "fired" })
    .onConflictDoNothing({ target: [scheduleEvents.syncId, scheduleEvents.slotAt] })
    .returning({ id: scheduleEvents.id });
  // Someone already handled this exact slot (e.g. the schedule was re-saved onto a slot that had
  // fired): never fire it again, only move on.
  if (!event) return { ...base, outcome: "already_recorded" };

  const result = await tryTrigger(tx, due.syncId);
  await tx
    .update(scheduleEvents)
    .set({ outcome: result.outcome, syncJobId: result.syncJobId ?? null })
    .where(eq(scheduleEvents.id, event.id));
  return { ...base, ...result };
}

type TriggerResult = { outcome: ScheduleOutcome; syncJobId?: string; reason?: string };

/**
 * triggerRun opens its own transaction, which inside ours is a savepoint: when it fails, only the
 * savepoint is rolled back and our transaction goes on to record the skip.
 */
async function tryTrigger(tx: DbOrTx, syncId: string): Promise<TriggerResult> {
  try {
    const job = await triggerRun(tx, { syncId, runType: "normal", triggeredBy: "schedule" });
    return { outcome: "fired", syncJobId: job.id };
  } catch (e) {
    if (e instanceof ApiError && e.status === 409) {
      const active = typeof e.details._syncJobId === "string" ? e.details._syncJobId : undefined;
      return { outcome: "skipped_active", syncJobId: active, reason: `A sync job${active ? ` (${active})` : ""} was still active` };
    }
    if (e instanceof ApiError && e.status === 422) {
      return { outcome: "skipped_disabled", reason: "The sync is disabled" };
    }
    log.error("scheduled run could not be triggered", { syncId, err: String((e as Error)?.message ?? e) });
    return { outcome: "skipped_error", reason: e instanceof ApiError ? e.message : "The run could not be triggered" };
  }
}

/**
 * The next slot is the first one after `at`, not after the slot just handled: after downtime the
 * missed slots collapse into the one run that just fired instead of firing back to back.
 */
async function advance(tx: DbOrTx, due: ScheduleRow, at: Date, slot: FiredSlot) {
  let nextRunAt: Date | null = null;
  try {
    nextRunAt = computeNextRun(due.cron, due.timezone, at);
  } catch (e) {
    log.error("stored schedule no longer parses; it will not fire again", { syncId: due.syncId, err: String(e) });
  }
  const outcome = slot.outcome;
  await tx
    .update(schedules)
    .set({
      nextRunAt,
      ...(outcome === "fired" ? { lastRunAt: at } : {}),
      ...(outcome.startsWith("skipped") ? { lastSkippedAt: at, lastSkipReason: slot.reason ?? outcome } : {}),
    })
    .where(eq(schedules.syncId, due.syncId));
  if (outcome !== "already_recorded") {
    log.info("schedule slot handled", { syncId: due.syncId, slotAt: slot.slotAt.toISOString(), outcome, syncJobId: slot.syncJobId });
  }
}
