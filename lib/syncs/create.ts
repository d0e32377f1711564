import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { integrations, syncs } from "@/db/schema";
import { ApiError, notFound } from "@/lib/api/errors";
import { newId, isObjectId } from "@/lib/ids";
import { destinationSchema, sourceSchema, tableNames } from "./config-schema";

export const createSyncInput = z
  .object({
    _integrationId: z.string().min(1),
    name: z.string().trim().min(1).max(200),
    source: sourceSchema,
    destination: destinationSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .passthrough();
export type CreateSyncInput = z.infer<typeof createSyncInput>;
export type SyncRow = typeof syncs.$inferSelect;

export async function createSync(db: DbOrTx, input: CreateSyncInput): Promise<SyncRow> {
  if (!isObjectId(input._integrationId)) throw notFound("invalid_ref", "Integration not found", "_integrationId");
  const [integration] = await db.select().from(integrations).where(eq(integrations.id, input._integrationId));
  if (!integration) throw notFound("invalid_ref", "Integration not found", "_integrationId");
  const tables = tableNames(input.source);
  const dup = tables.find((t, i) => tables.indexOf(t) !== i);
  if (dup) throw new ApiError(400, "invalid_parameter", `Table ${dup} is listed twice`, { field: "source.tables" });
  const id = newId();
  const [row] = await db
    .insert(syncs)
    .values({
      id,
      integrationId: integration.id,
      name: input.name,
      source: input.source,
      destination: input.destination ?? { type: "postgres", schema: `wh_${id.slice(-8)}` },
      tables,
      disabled: input.disabled ?? false,
    })
    .returning();
  return row;
}

export async function createIntegration(db: DbOrTx, name: string) {
  const [row] = await db.insert(integrations).values({ id: newId(), name }).returning();
  return row;
}
