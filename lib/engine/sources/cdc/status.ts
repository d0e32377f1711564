import postgres from "postgres";
import type { DbOrTx } from "@/db/client";
import { notFound } from "@/lib/errors";
import { storedSyncConfig } from "@/lib/syncs/stored-config";
import type { PostgresSource } from "@/lib/contracts/sync-config";
import { formatLsn } from "./lsn";
import { publicationName, slotName } from "./names";
import { inspectSlot } from "./slot";

export type ReplicationStatus = {
  slotName: string;
  publicationName: string;
  /** null: the source could not be asked (see `sourceError`). */
  exists: boolean | null;
  active: boolean | null;
  walStatus: string | null;
  confirmedLsn: string | null;
  /** WAL the source keeps for this sync that the warehouse has not confirmed yet. */
  lagBytes: number | null;
  sourceError: string | null;
};

export const usesLogicalReplication = (source: { type: string; replication?: string }): source is PostgresSource =>
  source.type === "postgres" && source.replication === "logical";

/** The slot as the source reports it now. Never throws: an unreachable source is reported, not raised. */
export async function replicationStatus(source: PostgresSource, syncId: string, timeoutSeconds = 5): Promise<ReplicationStatus> {
  const names = { slotName: slotName(syncId), publicationName: publicationName(syncId) };
  const sql = postgres(source.url, { max: 1, onnotice: () => {}, connect_timeout: timeoutSeconds, idle_timeout: 1 });
  try {
    const info = await Promise.race([
      sql.begin(async (tx) => {
        await tx.unsafe(`set local statement_timeout = ${Math.round(timeoutSeconds * 1000)}`);
        return inspectSlot(tx as unknown as postgres.Sql, names.slotName);
      }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutSeconds} s`)), timeoutSeconds * 1000).unref(),
      ),
    ]);
    return {
      ...names,
      exists: info !== null,
      active: info?.active ?? false,
      walStatus: info?.walStatus ?? null,
      confirmedLsn: info?.confirmed != null ? formatLsn(info.confirmed) : null,
      lagBytes: info?.lagBytes ?? null,
      sourceError: null,
    };
  } catch (e) {
    // The message names the failure (refused, timeout, auth) but never the url.
    const err = e as { code?: string; message?: string };
    return {
      ...names,
      exists: null,
      active: null,
      walStatus: null,
      confirmedLsn: null,
      lagBytes: null,
      sourceError: `the source could not be asked: ${err.code ?? err.message ?? "unknown error"}`,
    };
  } finally {
    void sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** The status of a stored sync: 404 for an unknown sync or one that does not capture changes. */
export async function syncReplicationStatus(db: DbOrTx, syncId: string): Promise<ReplicationStatus> {
  const { source } = await storedSyncConfig(db, syncId);
  if (!usesLogicalReplication(source)) {
    throw notFound(
      "replication_not_enabled",
      `Sync ${syncId} does not capture changes: its source has no replication "logical"`,
      "_syncId",
    );
  }
  return replicationStatus(source, syncId);
}
