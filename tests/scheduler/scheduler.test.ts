import { type ChildProcess, spawn } from "node:child_process";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, type Db } from "@/db/client";
import { scheduleEvents, schedules, syncJobs } from "@/db/schema";
import { triggerRun } from "@/lib/jobs/trigger";
import { type FiredSlot } from "@/lib/scheduler/fire-slot";
import { startScheduler } from "@/lib/scheduler/scheduler";
import { getScheduleView, upsertSchedule } from "@/lib/scheduler/schedules";
import { purgeOldScheduleEvents } from "@/lib/engine/purger";
import { freshDatabase } from "../helpers/fresh-db";
import { insertSchedule, insertSync } from "./fixtures";

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

beforeAll(async () => {
  fresh = await freshDatabase();
  db = fresh.db;
});
afterAll(async () => fresh?.drop());
// Schedules left behind would be fired by the next test's scheduler, whose clock may be later.
afterEach(async () => void (await db.delete(schedules)));

/** A clock the test moves by hand. */
const clock = (start: string) => {
  let t = new Date(start);
  return { now: () => t, set: (iso: string) => void (t = new Date(iso)) };
};

/** A scheduler whose own loop ticks once at start and then not for an hour: the test ticks it. */
async function withScheduler(now: () => Date, fn: (tick: () => Promise<FiredSlot[]>) => Promise<void>, on: Db = db) {
  const scheduler = startScheduler({ db: on, intervalMs: 3_600_000, now });
  try {
    await fn(scheduler.tick);
  } finally {
    await scheduler.stop();
  }
}

const jobsOf = (syncId: string) => db.select().from(syncJobs).where(eq(syncJobs.syncId, syncId)).orderBy(asc(syncJobs.createdAt));
const eventsOf = (syncId: string) =>
  db.select().from(scheduleEvents).where(eq(scheduleEvents.syncId, syncId)).orderBy(asc(scheduleEvents.slotAt));
const scheduleOf = async (syncId: string) => (await db.select().from(schedules).where(eq(schedules.syncId, syncId)))[0];
/** No worker runs in this database, so tests end jobs themselves to free the sync for the next slot. */
const completeActiveJobs = (syncId: string, on: Db = db) =>
  on
    .update(syncJobs)
    .set({ status: "completed", endedAt: new Date() })
    .where(and(eq(syncJobs.syncId, syncId), inArray(syncJobs.status, ["queued", "running", "canceling"])));

describe("a due slot", () => {
  it("queues one normal run triggered by the schedule and moves next_run_at to the next slot", async () => {
    const syncId = await insertSync(db);
    await insertSchedule(db, syncId, { cron: "0 * * * *", nextRunAt: new Date("2030-01-01T10:00:00Z") });
    const c = clock("2030-01-01T10:00:00.300Z");

    await withScheduler(c.now, async (tick) => {
      await tick();
      await tick(); // same instant: nothing more is due
    });

    const jobs = await jobsOf(syncId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: "queued", runType: "normal", triggeredBy: "schedule" });
    const events = await eventsOf(syncId);
    expect(events.map((e) => [e.slotAt.toISOString(), e.outcome, e.syncJobId])).toEqual([
      ["2030-01-01T10:00:00.000Z", "fired", jobs[0].id],
    ]);
    const schedule = await scheduleOf(syncId);
    expect(schedule.nextRunAt?.toISOString()).toBe("2030-01-01T11:00:00.000Z");
    expect(schedule.lastRunAt?.toISOString()).toBe("2030-01-01T10:00:00.300Z");
  });

  it("follows the schedule's time zone across a DST change", async () => {
    const syncId = await insertSync(db);
    await insertSchedule(db, syncId, {
      cron: "30 2 * * *",
      timezone: "Europe/Berlin",
      nextRunAt: new Date("2025-03-29T01:30:00Z"), // 02:30 CET
    });
    const c = clock("2025-03-29T01:30:00.200Z");
    await withScheduler(c.now, async (tick) => {
      await tick();
      // 02:30 does not exist on 30 March in Berlin: the slot is 03:00 CEST.
      expect((await scheduleOf(syncId)).nextRunAt?.toISOString()).toBe("2025-03-30T01:00:00.000Z");
      await completeActiveJobs(syncId);
      c.set("2025-03-30T01:00:00.500Z");
      await tick();
    });
    expect((await scheduleOf(syncId)).nextRunAt?.toISOString()).toBe("2025-03-31T00:30:00.000Z");
    expect((await eventsOf(syncId)).map((e) => [e.slotAt.toISOString(), e.outcome])).toEqual([
      ["2025-03-29T01:30:00.000Z", "fired"],
      ["2025-03-30T01:00:00.000Z", "fired"],
    ]);
    expect(await jobsOf(syncId)).toHaveLength(2);
  });
});

describe("skips", () => {
  it("records a slot that finds a job already active as skipped, names that job, and fires again once it ended", async () => {
    const syncId = await insertSync(db);
    const manual = await triggerRun(db, { syncId, runType: "normal", triggeredBy: "user:ops@example.com" });
    await insertSchedule(db, syncId, { cron: "*/10 * * * *", nextRunAt: new Date("2030-02-01T08:00:00Z") });
    const c = clock("2030-02-01T08:00:01Z");

    await withScheduler(c.now, async (tick) => {
      await tick();
      const view = await getScheduleView(db, syncId);
      expect(view.recentEvents).toEqual([
        expect.objectContaining({ slotAt: "2030-02-01T08:00:00.000Z", outcome: "skipped_active", _syncJobId: manual.id }),
      ]);
      expect(view.lastSkippedAt).toBe("2030-02-01T08:00:01.000Z");
      expect(view.lastSkipReason).toContain(manual.id);
      expect(view.lastRunAt).toBeNull();
      expect(view.nextRunAt).toBe("2030-02-01T08:10:00.000Z");
      expect((await jobsOf(syncId)).map((j) => j.id)).toEqual([manual.id]);

      await completeActiveJobs(syncId);
      c.set("2030-02-01T08:10:00.100Z");
      await tick();
    });

    const jobs = await jobsOf(syncId);
    expect(jobs).toHaveLength(2);
    expect(jobs[1].triggeredBy).toBe("schedule");
    expect((await eventsOf(syncId)).map((e) => e.outcome)).toEqual(["skipped_active", "fired"]);
  });

  it("records a slot of a disabled sync as skipped_disabled and queues nothing", async () => {
    const syncId = await insertSync(db, { disabled: true });
    await insertSchedule(db, syncId, { cron: "0 6 * * *", nextRunAt: new Date("2030-03-01T06:00:00Z") });
    await withScheduler(clock("2030-03-01T06:00:00.500Z").now, async (tick) => void (await tick()));

    expect(await jobsOf(syncId)).toHaveLength(0);
    expect((await eventsOf(syncId)).map((e) => e.outcome)).toEqual(["skipped_disabled"]);
    const schedule = await scheduleOf(syncId);
    expect(schedule.lastSkipReason).toMatch(/disabled/i);
    expect(schedule.nextRunAt?.toISOString()).toBe("2030-03-02T06:00:00.000Z");
  });
});

describe("downtime and pauses", () => {
  it("fires a schedule that missed many slots while everything was down exactly once", async () => {
    const syncId = await insertSync(db);
    // Three days of missed 5-minute slots.
    await insertSchedule(db, syncId, { cron: "*/5 * * * *", nextRunAt: new Date("2030-04-01T00:00:00Z") });
    const c = clock("2030-04-04T12:03:10Z");

    await withScheduler(c.now, async (tick) => {
      await tick();
      await completeActiveJobs(syncId); // even with the sync free again, no missed slot is replayed
      await tick();
    });

    expect(await jobsOf(syncId)).toHaveLength(1);
    expect((await eventsOf(syncId)).map((e) => [e.slotAt.toISOString(), e.outcome])).toEqual([["2030-04-01T00:00:00.000Z", "fired"]]);
    expect((await scheduleOf(syncId)).nextRunAt?.toISOString()).toBe("2030-04-04T12:05:00.000Z");
  });

  it("fires nothing while paused, and resuming does not replay the slots that passed", async () => {
    const syncId = await insertSync(db);
    await upsertSchedule(db, syncId, { cron: "* * * * *", timezone: "UTC", enabled: false }, new Date("2030-05-01T00:00:00Z"));
    expect((await scheduleOf(syncId)).nextRunAt).toBeNull();
    // Even a stale next_run_at in the past must not fire a paused schedule.
    await db
      .update(schedules)
      .set({ nextRunAt: new Date("2030-05-01T00:01:00Z") })
      .where(eq(schedules.syncId, syncId));

    const c = clock("2030-05-01T01:00:30Z");
    await withScheduler(c.now, async (tick) => {
      await tick();
      expect(await eventsOf(syncId)).toHaveLength(0);
      await upsertSchedule(db, syncId, { cron: "* * * * *", timezone: "UTC", enabled: true }, c.now());
      expect((await scheduleOf(syncId)).nextRunAt?.toISOString()).toBe("2030-05-01T01:01:00.000Z");
      await tick();
    });

    expect(await jobsOf(syncId)).toHaveLength(0);
    expect(await eventsOf(syncId)).toHaveLength(0);
  });

  it("a slot already due when an enabled schedule is saved again still fires (it did not vanish)", async () => {
    const syncId = await insertSync(db);
    await insertSchedule(db, syncId, { cron: "0 2 * * *", nextRunAt: new Date("2030-07-01T02:00:00Z") });
    // The scheduler was down over 02:00; its time zone is edited before it comes back.
    const c = clock("2030-07-01T02:30:00Z");
    await upsertSchedule(db, syncId, { cron: "0 2 * * *", timezone: "Europe/Berlin", enabled: true }, c.now());
    expect((await scheduleOf(syncId)).nextRunAt?.toISOString()).toBe("2030-07-01T02:00:00.000Z");
    await withScheduler(c.now, async (tick) => void (await tick()));
    expect(await jobsOf(syncId)).toHaveLength(1);
    expect((await eventsOf(syncId)).map((e) => e.outcome)).toEqual(["fired"]);
    // Then the next slot comes from the new time zone: 02:00 in Berlin.
    expect((await scheduleOf(syncId)).nextRunAt?.toISOString()).toBe("2030-07-02T00:00:00.000Z");
  });

  it("never fires a slot that is already recorded", async () => {
    const syncId = await insertSync(db);
    await db.insert(scheduleEvents).values({ syncId, slotAt: new Date("2030-06-01T00:00:00Z"), outcome: "fired" });
    await insertSchedule(db, syncId, { cron: "0 0 * * *", nextRunAt: new Date("2030-06-01T00:00:00Z") });
    await withScheduler(clock("2030-06-01T00:00:02Z").now, async (tick) => void (await tick()));

    expect(await jobsOf(syncId)).toHaveLength(0);
    expect((await scheduleOf(syncId)).nextRunAt?.toISOString()).toBe("2030-06-02T00:00:00.000Z");
  });
});

describe("several schedulers", () => {
  it("two schedulers on separate connections ticking at once fire each due schedule exactly once", async () => {
    const syncIds = await Promise.all(Array.from({ length: 12 }, () => insertSync(db)));
    for (const syncId of syncIds) {
      await insertSchedule(db, syncId, { cron: "0 * * * *", nextRunAt: new Date("2030-07-01T09:00:00Z") });
    }
    const other = connect(fresh.url, 4);
    const handled: FiredSlot[] = [];
    try {
      const now = clock("2030-07-01T09:00:00.100Z").now;
      const a = startScheduler({ db, intervalMs: 3_600_000, now, onSlot: (s) => handled.push(s) });
      const b = startScheduler({ db: other.db, intervalMs: 3_600_000, now, onSlot: (s) => handled.push(s) });
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await other.sql.end({ timeout: 5 });
    }

    expect(
      handled
        .filter((s) => s.outcome === "fired")
        .map((s) => s.syncId)
        .sort(),
    ).toEqual([...syncIds].sort());
    const jobs = await db.select().from(syncJobs).where(inArray(syncJobs.syncId, syncIds));
    expect(jobs).toHaveLength(syncIds.length);
    const events = await db.select().from(scheduleEvents).where(inArray(scheduleEvents.syncId, syncIds));
    expect(events).toHaveLength(syncIds.length);
  });

  it("two scheduler processes fire a every-2-seconds schedule once per slot", async () => {
    const children = [spawnScheduler(fresh.url), spawnScheduler(fresh.url)];
    const freeing = setInterval(() => void completeActiveJobs(syncId).catch(() => {}), 100);
    let syncId = "";
    try {
      await Promise.all(children.map((c) => c.ready));
      syncId = await insertSync(db);
      await upsertSchedule(db, syncId, { cron: "*/2 * * * * *", timezone: "UTC", enabled: true });
      await waitUntil(async () => (await eventsOf(syncId)).filter((e) => e.outcome === "fired").length >= 4, 30_000);
    } finally {
      clearInterval(freeing);
      await Promise.all(children.map((c) => c.stop()));
    }

    const events = await eventsOf(syncId);
    const fired = events.filter((e) => e.outcome === "fired");
    expect(fired.length).toBeGreaterThanOrEqual(4);
    for (const e of events) {
      expect(e.slotAt.getUTCMilliseconds()).toBe(0);
      expect(e.slotAt.getUTCSeconds() % 2).toBe(0);
      expect(["fired", "skipped_active"]).toContain(e.outcome);
    }
    // Every scheduled job belongs to exactly one fired slot, and no slot has two jobs.
    const jobs = (await jobsOf(syncId)).filter((j) => j.triggeredBy === "schedule");
    expect(jobs.map((j) => j.id).sort()).toEqual(fired.map((e) => e.syncJobId).sort());
    // What the processes say they fired, together, is exactly that list: no slot fired by both.
    const reported = children.flatMap((c) => c.slots).filter((s) => s.syncId === syncId && s.outcome === "fired");
    expect(reported.map((s) => s.slotAt).sort()).toEqual(fired.map((e) => e.slotAt.toISOString()).sort());
  }, 60_000);
});

type Child = { ready: Promise<void>; slots: { syncId: string; slotAt: string; outcome: string; pid: number }[]; stop: () => Promise<void> };

function spawnScheduler(databaseUrl: string): Child {
  const proc: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tests/scheduler/run-scheduler.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SCHEDULER_TICK_MS: "100", DB_POOL_SIZE: "3", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const slots: Child["slots"] = [];
  let buffered = "";
  const ready = new Promise<void>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`scheduler process exited early (${code})`)));
    proc.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "ready") resolve();
        else if (line.startsWith("{")) slots.push(JSON.parse(line));
      }
    });
  });
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await exited;
  };
  return { ready, slots, stop };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("schedule events", () => {
  it("older than RETENTION_DAYS are purged, as the jobs they fired are; recent ones stay", async () => {
    const syncId = await insertSync(db);
    const old = Array.from({ length: 3 }, (_, i) => ({
      syncId,
      slotAt: new Date(Date.UTC(2020, 0, 1, 0, i)),
      outcome: "skipped_disabled",
      createdAt: new Date(Date.now() - 31 * 86_400_000),
    }));
    await db.insert(scheduleEvents).values([...old, { syncId, slotAt: new Date(), outcome: "skipped_disabled" }]);
    expect(await purgeOldScheduleEvents(fresh.sql, 2)).toBe(3);
    expect((await eventsOf(syncId)).map((e) => e.outcome)).toEqual(["skipped_disabled"]);
  });
});
