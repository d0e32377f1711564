import { connect } from "@/db/client";
import { startSchedulerForUrl } from "@/lib/scheduler/run";
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
  const { sql } = connect(url, 2);
  const stopPurger = startPurger(sql);
  const scheduler = await startSchedulerForUrl(url);
  return {
    stop: async () => {
      stopPurger();
      await scheduler.stop();
      await Promise.allSettled(started.map((w) => w.stop()));
      await sql.end({ timeout: 5 });
    },
  };
}
