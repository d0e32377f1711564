import { connect } from "@/db/client";
import { log } from "@/lib/runtime/log";
import { startScheduler } from "./scheduler";

/**
 * The scheduler as a background service of a process that runs workers (lib/engine/background.ts).
 * It gets a small pool of its own, so a long-running batch on the workers' connections can never
 * delay a due slot. Every such process runs one; the database makes them act as one.
 */
export async function startSchedulerForUrl(url: string): Promise<{ stop: () => Promise<void> }> {
  const { db, sql } = connect(url, 2);
  const scheduler = startScheduler({ db });
  log.info("scheduler started", { tickMs: process.env.SCHEDULER_TICK_MS ?? 1000 });
  return {
    stop: async () => {
      await scheduler.stop();
      await sql.end({ timeout: 5 });
    },
  };
}
