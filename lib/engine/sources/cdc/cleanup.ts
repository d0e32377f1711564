import { conflict } from "@/lib/errors";
import { log } from "@/lib/runtime/log";
import type { PostgresSource, SourceConfig } from "@/lib/contracts/sync-config";
import { FatalSourceError } from "../types";
import { publicationName, slotName } from "./names";
import { dropSlot, withSlotLock } from "./slot";
import { usesLogicalReplication } from "./status";

/**
 * Drops the sync's slot and publication on the source. A slot left behind keeps every WAL segment
 * from its position on, until the source's disk fills, so the caller must not forget a sync whose
 * slot could not be dropped without saying so. Under the slot lock, so a table job still reading
 * it finishes first.
 */
export async function dropReplication(source: PostgresSource, syncId: string): Promise<void> {
  const slot = slotName(syncId);
  await withSlotLock(source.url, slot, async (sql) => {
    await dropSlot(sql, slot);
    await sql.unsafe(`drop publication if exists ${publicationName(syncId)}`);
  });
}

/**
 * Deleting a sync drops its slot and publication first. When the source cannot be reached the delete
 * is refused (409 `replication_cleanup_failed`, naming what to drop by hand) unless forced: silently
 * forgetting the slot would let it hold WAL on the source forever.
 */
export async function dropSyncReplication(source: SourceConfig, syncId: string, opts: { force?: boolean } = {}): Promise<void> {
  if (!usesLogicalReplication(source)) return;
  try {
    await dropReplication(source, syncId);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const reason = err instanceof FatalSourceError || !err.code ? (err.message ?? String(e)) : `${err.code}: ${err.message}`;
    const slot = slotName(syncId);
    const publication = publicationName(syncId);
    if (opts.force) {
      log.warn("replication slot and publication left on the source: drop them there by hand", { syncId, slot, publication, reason });
      return;
    }
    throw conflict(
      "replication_cleanup_failed",
      `The source did not let us drop replication slot ${slot} and publication ${publication} (${reason}), so the sync was kept: ` +
        `a slot left behind holds WAL on the source until it is dropped. Retry when the source answers, or delete with ?force=true ` +
        `and then run on the source: SELECT pg_drop_replication_slot('${slot}'); DROP PUBLICATION ${publication};`,
    );
  }
}
