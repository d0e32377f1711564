/** `npm run worker`: one standalone worker process (plus scheduler and purger) against DATABASE_URL. */
import { startBackgroundWork } from "@/lib/engine/background";
import { ensureDatabase } from "@/lib/bootstrap/database";
import { log } from "@/lib/runtime/log";

async function main() {
  const db = await ensureDatabase();
  const background = await startBackgroundWork(db.url, 1);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker process stopping", { signal });
    await background.stop();
    await db.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
