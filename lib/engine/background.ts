import postgres from "postgres";
import { log } from "@/lib/runtime/log";
import { startPurger } from "./purger";
import { Worker } from "./worker";

type Stoppable = { stop: () => Promise<void> };

/** Worker loops, the scheduler and the purger, as run inside `npm start` and `npm run worker`. */
export async function startBackgroundWork(url: string, workers: number): Promise<Stoppable> {
  if (workers <= 0) return { stop: async () => {} };
  const started: Worker[] = [];
  for (let i = 0; i < workers; i++) {
    const w = new Worker({ url });
    await w.start();
    started.push(w);
  }
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const stopPurger = startPurger(sql);
  const scheduler = await startSchedulerIfPresent(url);
  return {
    stop: async () => {
      stopPurger();
      await scheduler?.stop();
      await Promise.allSettled(started.map((w) => w.stop()));
      await sql.end({ timeout: 5 });
    },
  };
}

async function startSchedulerIfPresent(url: string): Promise<Stoppable | null> {
  try {
    const { startSchedulerForUrl } = await import("@/lib/scheduler/run");
    return await startSchedulerForUrl(url);
  } catch (e) {
    log.warn("scheduler not started", { err: String(e) });
    return null;
  }
}
