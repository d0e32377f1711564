import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { scheduleEvents, schedules, syncs } from "@/db/schema";
import { invalid, notFound } from "@/lib/errors";
import { isObjectId } from "@/lib/ids";
import { type ScheduleInput, validateCron, validateTimezone } from "@/lib/contracts/cron";
import { computeNextRun } from "./next-run";
import { type AuditActor, auditDiff, recordAudit } from "@/lib/audit";

export type ScheduleRow = typeof schedules.$inferSelect;
export type ScheduleOutcome = "fired" | "skipped_active" | "skipped_disabled" | "skipped_error";

/** What a schedule looks like on the wire (GET and PUT /v1/syncs/{id}/schedule). */
export type ScheduleView = {
  _syncId: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  /** null while paused, or when the pattern has no future match. */
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastSkippedAt?: string;
  lastSkipReason?: string;
  recentEvents: { slotAt: string; outcome: ScheduleOutcome; _syncJobId?: string; recordedAt: string }[];
};

const RECENT_EVENTS = 20;

/**
 * 404 invalid_ref unless the sync exists (a malformed id is a 404 too, never a 500). With `lock`,
 * inside a transaction, the sync cannot be deleted until it ends (a delete racing this waits, or
 * this waits for the delete and answers 404 instead of failing on the foreign key).
 */
export async function assertSyncExists(db: DbOrTx, syncId: string, opts: { lock?: boolean } = {}): Promise<void> {
  const q = db.select({ id: syncs.id }).from(syncs).where(eq(syncs.id, syncId));
  const found = isObjectId(syncId) && (opts.lock ? await q.for("key share") : await q).length > 0;
  if (!found) throw notFound("invalid_ref", `Sync ${syncId} not found`, "_syncId");
}

/**
 * Locks a sync's schedule row, if it has one, and returns it. Whatever changes a sync and its
 * schedule together locks the schedule first, then the sync: the scheduler holds due schedules
 * and then share-locks their syncs, so the other order could deadlock with it.
 */
export async function lockSchedule(db: DbOrTx, syncId: string): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(schedules).where(eq(schedules.syncId, syncId)).for("update");
  return row;
}

/**
 * Creates or replaces a sync's schedule. `nextRunAt` is recomputed from `now`, so resuming a paused
 * schedule never fires a slot that passed while it was paused. A paused schedule stores no
 * `next_run_at`: there is nothing to show as "next". A slot that is already due and not yet handled
 * (the scheduler's next tick, or every tick of a scheduler outage) stays due when an enabled
 * schedule is saved again: it still fires or is recorded as skipped, instead of silently vanishing.
 */
export async function upsertSchedule(db: DbOrTx, syncId: string, input: ScheduleInput, now: Date = new Date()): Promise<ScheduleRow> {
  const cron = validateCron(input.cron);
  if (!cron.ok) throw invalid(cron.message, "cron");
  const timezone = validateTimezone(input.timezone ?? "UTC");
  if (!timezone.ok) throw invalid(timezone.message, "timezone");
  await assertSyncExists(db, syncId, { lock: true });

  const enabled = input.enabled ?? true;
  const values = {
    cron: cron.value,
    timezone: timezone.value,
    enabled,
    nextRunAt: enabled ? computeNextRun(cron.value, timezone.value, now) : null,
    updatedAt: now,
  };
  const pending = sql`${schedules.enabled} and ${schedules.nextRunAt} <= ${now.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(schedules)
    .values({ syncId, ...values })
    .onConflictDoUpdate({
      target: schedules.syncId,
      set: enabled ? { ...values, nextRunAt: sql`case when ${pending} then ${schedules.nextRunAt} else excluded.next_run_at end` } : values,
    })
    .returning();
  return row;
}

/** The schedule with its most recent fired/skipped slots, or 404 (`invalid_ref` / `schedule_not_found`). */
export async function getScheduleView(db: DbOrTx, syncId: string): Promise<ScheduleView> {
  await assertSyncExists(db, syncId);
  const [row] = await db.select().from(schedules).where(eq(schedules.syncId, syncId));
  if (!row) throw notFound("schedule_not_found", `Sync ${syncId} has no schedule`, "_syncId");
  const events = await db
    .select()
    .from(scheduleEvents)
    .where(eq(scheduleEvents.syncId, syncId))
    .orderBy(desc(scheduleEvents.id))
    .limit(RECENT_EVENTS);
  return presentSchedule(row, events);
}

export async function deleteSchedule(db: DbOrTx, syncId: string, actor?: AuditActor): Promise<void> {
  await assertSyncExists(db, syncId);
  await db.transaction(async (tx) => {
    const before = await lockSchedule(tx, syncId);
    if (!before) throw notFound("schedule_not_found", `Sync ${syncId} has no schedule`, "_syncId");
    await setScheduleAudited(tx, syncId, null, before, actor);
  });
}

/** PUT /v1/syncs/{id}/schedule: upsertSchedule plus its audit event, in one transaction. */
export async function replaceSchedule(db: DbOrTx, syncId: string, input: ScheduleInput, actor?: AuditActor): Promise<ScheduleRow> {
  return db.transaction(async (tx) => (await setScheduleAudited(tx, syncId, input, await lockSchedule(tx, syncId), actor))!);
}

/**
 * Sets (or with null removes) a sync's schedule and records it as `schedule.update` or
 * `schedule.delete` with the values before and after, whichever call made the change (PUT on the
 * schedule, or PATCH of the sync). `before` is the schedule as locked by the caller.
 */
export async function setScheduleAudited(
  tx: DbOrTx,
  syncId: string,
  input: ScheduleInput | null,
  before: ScheduleRow | undefined,
  actor: AuditActor | undefined,
): Promise<ScheduleRow | undefined> {
  if (input === null) {
    if (!before) return undefined;
    await tx.delete(schedules).where(eq(schedules.syncId, syncId));
    const changes = auditDiff(auditedSchedule(before), undefined);
    await recordAudit(tx, actor, { action: "schedule.delete", targetType: "schedule", targetId: syncId, changes });
    return undefined;
  }
  const row = await upsertSchedule(tx, syncId, input);
  await recordAudit(tx, actor, {
    action: "schedule.update",
    targetType: "schedule",
    targetId: syncId,
    changes: auditDiff(before ? auditedSchedule(before) : undefined, auditedSchedule(row)),
  });
  return row;
}

const auditedSchedule = (r: ScheduleRow) => ({ cron: r.cron, timezone: r.timezone, enabled: r.enabled });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentSchedule(row: ScheduleRow, events: (typeof scheduleEvents.$inferSelect)[]): ScheduleView {
  return {
    _syncId: row.syncId,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled,
    nextRunAt: row.enabled ? iso(row.nextRunAt) : null,
    lastRunAt: iso(row.lastRunAt),
    ...(row.lastSkippedAt ? { lastSkippedAt: row.lastSkippedAt.toISOString() } : {}),
    ...(row.lastSkipReason ? { lastSkipReason: row.lastSkipReason } : {}),
    recentEvents: events.map((e) => ({
      slotAt: e.slotAt.toISOString(),
      outcome: e.outcome as ScheduleOutcome,
      ...(e.syncJobId ? { _syncJobId: e.syncJobId } : {}),
      recordedAt: e.createdAt.toISOString(),
    })),
  };
}
