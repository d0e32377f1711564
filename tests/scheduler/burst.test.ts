import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type Db } from "@/db/client";
import { integrations, scheduleEvents, schedules, syncJobs, syncs, tableJobs } from "@/db/schema";
import { newId } from "@/lib/ids";
import { triggerRun } from "@/lib/jobs/trigger";
import { type FiredSlot } from "@/lib/scheduler/fire-slot";
import { startScheduler } from "@/lib/scheduler/scheduler";
import { freshDatabase } from "../helpers/fresh-db";

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = fresh.db;
});
afterAll(async () => fresh?.drop());

/** `n` syncs of two tables each, all due at `slot`, inserted in bulk (what matters is the firing). */
async function dueSyncs(n: number, slot: Date, opts: { disabled?: boolean } = {}): Promise<string[]> {
  const integrationId = newId();
  await db.insert(integrations).values({ id: integrationId, name: "burst" });
  const ids = Array.from({ length: n }, () => newId());
  await db.insert(syncs).values(
    ids.map((id) => ({
      id,
      integrationId,
      name: `burst ${id.slice(-6)}`,
      source: {
        type: "sample",
        seed: 1,
        tables: [
          { name: "customers", rows: 10 },
          { name: "orders", rows: 10 },
        ],
      },
      destination: { type: "postgres", schema: `wh_${id.slice(-8)}` },
      tables: ["customers", "orders"],
      disabled: opts.disabled ?? false,
    })),
  );
  await db.insert(schedules).values(ids.map((syncId) => ({ syncId, cron: "0 * * * *", timezone: "UTC", nextRunAt: slot })));
  return ids;
}

describe("a burst of due schedules", () => {
  it("fires 300 schedules due in the same slot exactly once across two schedulers, recording skips", async () => {
    const slot = new Date("2031-01-01T10:00:00Z");
    const due = await dueSyncs(300, slot);
    const disabled = await dueSyncs(10, slot, { disabled: true });
    // Syncs already running something when the slot comes: their slot is a recorded skip.
    const busy = due.slice(0, 15);
    const manual = new Map<string, string>();
    for (const syncId of busy)
      manual.set(syncId, (await triggerRun(db, { syncId, runType: "normal", triggeredBy: "user:ops@example.com" })).id);

    const other = connect(fresh.url, 4);
    const handled: FiredSlot[] = [];
    const now = () => new Date("2031-01-01T10:00:00.250Z");
    const started = performance.now();
    try {
      // Small batches so the two schedulers really interleave over the same due rows.
      const a = startScheduler({ db, intervalMs: 3_600_000, now, batchSize: 40, onSlot: (s) => handled.push(s) });
      const b = startScheduler({ db: other.db, intervalMs: 3_600_000, now, batchSize: 40, onSlot: (s) => handled.push(s) });
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await other.sql.end({ timeout: 5 });
    }
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);

    const all = [...due, ...disabled];
    // Each slot handled by exactly one of the two schedulers.
    expect(handled.map((s) => s.syncId).sort()).toEqual([...all].sort());
    const events = await db.select().from(scheduleEvents).where(inArray(scheduleEvents.syncId, all));
    expect(events).toHaveLength(all.length);
    expect(events.every((e) => e.slotAt.getTime() === slot.getTime())).toBe(true);

    const outcome = new Map(events.map((e) => [e.syncId, e]));
    const free = due.filter((id) => !manual.has(id));
    for (const id of free) expect(outcome.get(id)?.outcome).toBe("fired");
    for (const id of busy) expect(outcome.get(id)).toMatchObject({ outcome: "skipped_active", syncJobId: manual.get(id) });
    for (const id of disabled) expect(outcome.get(id)?.outcome).toBe("skipped_disabled");

    // One scheduled job per fired sync, each with one queued table job per table, in the sync's order.
    const jobs = await db.select().from(syncJobs).where(inArray(syncJobs.syncId, all));
    const scheduled = jobs.filter((j) => j.triggeredBy === "schedule");
    expect(scheduled.map((j) => j.syncId).sort()).toEqual([...free].sort());
    expect(scheduled.every((j) => j.status === "queued" && j.runType === "normal")).toBe(true);
    expect(new Set(scheduled.map((j) => j.id))).toEqual(new Set(free.map((id) => outcome.get(id)!.syncJobId)));
    const tables = await db
      .select({ job: tableJobs.syncJobId, name: tableJobs.tableName, position: tableJobs.position, status: tableJobs.status })
      .from(tableJobs)
      .where(
        inArray(
          tableJobs.syncJobId,
          scheduled.map((j) => j.id),
        ),
      );
    expect(tables).toHaveLength(scheduled.length * 2);
    expect(tables.every((t) => t.status === "queued" && t.position === (t.name === "customers" ? 0 : 1))).toBe(true);

    // Every schedule moved to the next hour; skips say why.
    const rows = await db.select().from(schedules).where(inArray(schedules.syncId, all));
    expect(rows.every((r) => r.nextRunAt?.toISOString() === "2031-01-01T11:00:00.000Z")).toBe(true);
    const byId = new Map(rows.map((r) => [r.syncId, r]));
    expect(free.every((id) => byId.get(id)!.lastRunAt?.toISOString() === "2031-01-01T10:00:00.250Z")).toBe(true);
    expect(busy.every((id) => byId.get(id)!.lastSkipReason?.includes(manual.get(id)!))).toBe(true);
    expect(disabled.every((id) => /disabled/i.test(byId.get(id)!.lastSkipReason ?? ""))).toBe(true);

    // The maintained per-sync counts agree with the jobs themselves.
    const [{ mismatches }] = await db.execute<{ mismatches: number }>(sql`
      select count(*)::int as mismatches
        from (select sync_id, status, count(*)::bigint as n from sync_jobs group by 1, 2) j
        full join sync_job_counts c using (sync_id, status)
       where coalesce(j.n, 0) <> coalesce(c.n, 0)`);
    expect(mismatches).toBe(0);
  }, 30_000);
});
