import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/api/handler";
import { syncExists } from "@/lib/jobs/queries";
import { listCheckpoints } from "@/lib/syncs/checkpoints";

/** The sync's delta checkpoints: where the next normal run of each table starts. */
export const GET = route<{ _syncId: string }>({ scope: "sync:read" }, async ({ params }) => {
  const db = getDb();
  if (!(await syncExists(db, params._syncId))) throw notFound("invalid_ref", `Sync ${params._syncId} not found`, "_syncId");
  return json(await listCheckpoints(db, params._syncId));
});
