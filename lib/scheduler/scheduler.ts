import type { Db } from "@/db/client";
import { log } from "@/lib/runtime/log";
import { type FiredSlot, fireDueSlots } from "./fire-slot";

export type SchedulerOptions = {
  db: Db;
  /** Pause between ticks; default SCHEDULER_TICK_MS or 1000. */
  intervalMs?: number;
  /** Clock, injectable so tests can stand anywhere in time. */
  now?: () => Date;
  /** Most slots one tick handles, so a backlog cannot hold a tick forever. */
  maxSlotsPerTick?: number;
  /** Schedules claimed and fired per transaction (a burst is a few of these, not one per schedule). */
  batchSize?: number;
  /** Called for each slot this process handled (metrics, tests). */
  onSlot?: (slot: FiredSlot) => void;
};

export type Scheduler = {
  /** One pass over everything due now. Ticks of one scheduler never overlap. */
  tick(): Promise<FiredSlot[]>;
  /** Stops ticking and waits for a tick in flight. */
  stop(): Promise<void>;
};

const defaultInterval = () => {
  const v = Number(process.env.SCHEDULER_TICK_MS);
  return Number.isFinite(v) && v > 0 ? v : 1000;
};

/**
 * Starts the cron scheduler. Safe to start in every worker process at once: no process is elected
 * leader; each tick claims due schedules in batches with FOR UPDATE SKIP LOCKED and every slot is recorded
 * under a unique (sync_id, slot_at), so the database decides which process fires a slot, and a
 * slot fires once however many schedulers are running.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const intervalMs = opts.intervalMs ?? defaultInterval();
  const now = opts.now ?? (() => new Date());
  const maxSlots = opts.maxSlotsPerTick ?? 10_000;
  const batchSize = opts.batchSize ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const runTick = async (): Promise<FiredSlot[]> => {
    const handled: FiredSlot[] = [];
    while (handled.length < maxSlots) {
      const slots = await fireDueSlots(opts.db, now(), Math.min(batchSize, maxSlots - handled.length));
      for (const slot of slots) opts.onSlot?.(slot);
      handled.push(...slots);
      if (slots.length < batchSize) break;
    }
    return handled;
  };

  const tick = (): Promise<FiredSlot[]> => {
    const next = inFlight.then(runTick, runTick);
    inFlight = next.catch(() => undefined);
    return next;
  };

  const loop = async () => {
    try {
      await tick();
    } catch (e) {
      // A failed tick rolled back whole; its slots are still due and the next tick retries them.
      log.error("scheduler tick failed", { err: String((e as Error)?.message ?? e) });
    }
    if (!stopped) timer = setTimeout(loop, intervalMs);
  };
  timer = setTimeout(loop, 0);

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
