import { getDb } from "@/db/client";
import { json, route } from "@/lib/api/handler";
import { syncReplicationStatus } from "@/lib/engine/sources/cdc/status";

/** The sync's replication slot and lag, asked of the source now (change data capture syncs only). */
export const GET = route<{ _syncId: string }>({ scope: "sync:read" }, async ({ params }) => {
  return json(await syncReplicationStatus(getDb(), params._syncId));
});
