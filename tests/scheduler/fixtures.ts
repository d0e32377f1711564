import type { Db } from "@/db/client";
import { integrations, schedules, syncs } from "@/db/schema";
import { newId } from "@/lib/ids";

/** A sync row straight in the database (its config is irrelevant here: nothing runs it). */
export async function insertSync(db: Db, opts: { disabled?: boolean } = {}): Promise<string> {
  const integrationId = newId();
  const syncId = newId();
  await db.insert(integrations).values({ id: integrationId, name: "scheduler test" });
  await db.insert(syncs).values({
    id: syncId,
    integrationId,
    name: "scheduled sync",
    source: { type: "sample", seed: 1, tables: [{ name: "customers", rows: 10 }] },
    destination: { type: "postgres", schema: `wh_${syncId.slice(-8)}` },
    tables: ["customers"],
    disabled: opts.disabled ?? false,
  });
  return syncId;
}

/** A schedule row with an exact next_run_at, bypassing upsertSchedule's "next slot from now". */
export async function insertSchedule(
  db: Db,
  syncId: string,
  values: { cron: string; timezone?: string; enabled?: boolean; nextRunAt: Date | null },
): Promise<void> {
  await db.insert(schedules).values({ syncId, timezone: "UTC", enabled: true, ...values });
}
