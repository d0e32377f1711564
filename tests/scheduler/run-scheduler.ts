/**
 * A scheduler in its own process, for the multi-process test: `tsx tests/scheduler/run-scheduler.ts`
 * with DATABASE_URL and SCHEDULER_TICK_MS set. Prints `ready`, then one JSON line per slot it handled.
 * Stops cleanly on SIGTERM.
 */
import { closeDb, getDb } from "@/db/client";
import { startScheduler } from "@/lib/scheduler/scheduler";

const scheduler = startScheduler({
  db: getDb(),
  onSlot: (slot) => console.log(JSON.stringify({ pid: process.pid, ...slot })),
});
console.log("ready");

process.on("SIGTERM", () => {
  void scheduler
    .stop()
    .then(closeDb)
    .finally(() => process.exit(0));
});
