import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { integrations, syncs } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { integrationSchema } from "@/lib/contracts/management";
import { type AuditActor, auditDiff, recordAudit } from "@/lib/audit";
import { isObjectId } from "@/lib/ids";
import { createIntegration } from "@/lib/syncs/create";
import { findActiveJobAmong, jobActiveError } from "@/lib/syncs/queries";
import { findIntegration, type IntegrationRow, listIntegrations } from "./queries";

export type IntegrationView = z.infer<typeof integrationSchema>;

const toDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));
export const presentIntegration = (r: IntegrationRow): IntegrationView => ({
  _id: r.id,
  name: r.name,
  numSyncs: Number(r.num_syncs),
  createdAt: toDate(r.created_at).toISOString(),
  updatedAt: toDate(r.updated_at).toISOString(),
});

const missing = (id: string) => notFound("invalid_ref", `Integration ${id} not found`, "_integrationId");

export async function getIntegrationView(db: DbOrTx, id: string): Promise<IntegrationView> {
  const row = await findIntegration(db, id);
  if (!row) throw missing(id);
  return presentIntegration(row);
}

export async function listIntegrationViews(db: DbOrTx, params: Parameters<typeof listIntegrations>[1]) {
  const { rows, totalCount } = await listIntegrations(db, params);
  return { data: rows.map(presentIntegration), totalCount };
}

export async function createIntegrationView(db: DbOrTx, input: { name: string }, actor?: AuditActor): Promise<IntegrationView> {
  const row = await db.transaction(async (tx) => {
    const created = await createIntegration(tx, input.name);
    await recordAudit(tx, actor, {
      action: "integration.create",
      targetType: "integration",
      targetId: created.id,
      changes: auditDiff(undefined, { name: created.name }),
    });
    return created;
  });
  return presentIntegration({ id: row.id, name: row.name, created_at: row.createdAt, updated_at: row.updatedAt, num_syncs: 0 });
}

export async function patchIntegration(db: DbOrTx, id: string, patch: { name?: string }, actor?: AuditActor): Promise<IntegrationView> {
  if (!isObjectId(id)) throw missing(id);
  if (patch.name !== undefined) {
    const name = patch.name;
    await db.transaction(async (tx) => {
      const [before] = await tx.select({ name: integrations.name }).from(integrations).where(eq(integrations.id, id)).for("update");
      if (!before) throw missing(id);
      await tx
        .update(integrations)
        .set({ name, updatedAt: sql`now()` })
        .where(eq(integrations.id, id));
      await recordAudit(tx, actor, {
        action: "integration.update",
        targetType: "integration",
        targetId: id,
        changes: auditDiff(before, { name }),
      });
    });
  }
  return getIntegrationView(db, id);
}

/**
 * Deletes an integration with its syncs and their jobs (foreign keys cascade). Refused while
 * any of its syncs has an active job. Locking the integration and then its syncs blocks both
 * new syncs (createSync share-locks the integration) and new jobs (their insert key-share-locks
 * the sync) until this transaction ends. Warehouse schemas the syncs loaded are left in place.
 */
export async function deleteIntegration(db: DbOrTx, id: string, actor?: AuditActor): Promise<void> {
  if (!isObjectId(id)) throw missing(id);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: integrations.id, name: integrations.name })
      .from(integrations)
      .where(eq(integrations.id, id))
      .for("update");
    if (!row) throw missing(id);
    const owned = await tx.select({ id: syncs.id }).from(syncs).where(eq(syncs.integrationId, id)).for("update");
    const active = await findActiveJobAmong(
      tx,
      owned.map((s) => s.id),
    );
    if (active) throw jobActiveError("The integration cannot be deleted", active);
    await tx.delete(integrations).where(eq(integrations.id, id));
    await recordAudit(tx, actor, {
      action: "integration.delete",
      targetType: "integration",
      targetId: id,
      changes: { name: { from: row.name }, syncs: { from: owned.map((o) => o.id) } },
    });
  });
}
