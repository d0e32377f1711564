import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { checkpoints } from "@/db/schema";

/** A sync's delta checkpoints in table order, as the wire shows them (the API and the sync page's first paint). */
export async function listCheckpoints(db: DbOrTx, syncId: string) {
  const rows = await db
    .select({ tableName: checkpoints.tableName, cursor: checkpoints.cursor, updatedAt: checkpoints.updatedAt })
    .from(checkpoints)
    .where(eq(checkpoints.syncId, syncId))
    .orderBy(asc(checkpoints.tableName));
  return rows.map((r) => ({ tableName: r.tableName, cursor: r.cursor, updatedAt: r.updatedAt.toISOString() }));
}
