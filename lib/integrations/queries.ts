import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { isObjectId } from "@/lib/ids";

export type IntegrationRow = { id: string; name: string; created_at: Date; updated_at: Date; num_syncs: number };

/**
 * Integrations with their sync counts (from syncs_integration_idx), newest first or by name;
 * `q` keeps names containing it, case-insensitively (strpos, so % and _ are plain characters).
 */
export async function listIntegrations(
  db: DbOrTx,
  params: { limit: number; offset: number; q?: string; sort?: "newest" | "name" },
): Promise<{ rows: IntegrationRow[]; totalCount: number }> {
  const where = params.q ? sql`where strpos(lower(i.name), lower(${params.q})) > 0` : sql``;
  const order = params.sort === "name" ? sql`lower(i.name), i.id` : sql`i.created_at desc, i.id desc`;
  const [rows, [{ n }]] = await Promise.all([
    db.execute<IntegrationRow>(sql`
      select i.id, i.name, i.created_at, i.updated_at,
        (select count(*) from syncs s where s.integration_id = i.id)::int as num_syncs
      from integrations i
      ${where}
      order by ${order}
      limit ${params.limit} offset ${params.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from integrations i ${where}`),
  ]);
  return { rows: [...rows], totalCount: n };
}

export async function findIntegration(db: DbOrTx, id: string): Promise<IntegrationRow | undefined> {
  if (!isObjectId(id)) return undefined;
  const [row] = await db.execute<IntegrationRow>(sql`
    select i.id, i.name, i.created_at, i.updated_at,
      (select count(*) from syncs s where s.integration_id = i.id)::int as num_syncs
    from integrations i where i.id = ${id}`);
  return row;
}
