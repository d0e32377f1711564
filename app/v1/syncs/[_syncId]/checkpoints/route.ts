import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { checkpoints } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/api/handler";
import { syncExists } from "@/lib/jobs/queries";

/** The sync's delta checkpoints: where the next normal run of each table starts. */
export const GET = route<{ _syncId: string }>({ scope: "sync:read" }, async ({ params }) => {
  const db = getDb();
  if (!(await syncExists(db, params._syncId))) throw notFound("invalid_ref", `Sync ${params._syncId} not found`, "_syncId");
  const rows = await db
    .select({ tableName: checkpoints.tableName, cursor: checkpoints.cursor, updatedAt: checkpoints.updatedAt })
    .from(checkpoints)
    .where(eq(checkpoints.syncId, params._syncId))
    .orderBy(asc(checkpoints.tableName));
  return json(rows.map((r) => ({ tableName: r.tableName, cursor: r.cursor, updatedAt: r.updatedAt.toISOString() })));
});
