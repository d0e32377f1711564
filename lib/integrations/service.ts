import { eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { integrations, schedules, syncs } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { integrationSchema } from "@/lib/contracts/management";
import { type AuditActor, auditDiff, recordAudit } from "@/lib/audit";
import { isObjectId } from "@/lib/ids";
import { createIntegration } from "@/lib/syncs/create";
import { findActiveJobAmong, jobActiveError } from "@/lib/syncs/queries";
import type { DropReplication } from "@/lib/syncs/service";
import type { SourceConfig } from "@/lib/contracts/sync-config";
import { openConfig } from "@/lib/secrets";
import { setScheduleAudited } from "@/lib/scheduler/schedules";
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
  if (patch.name === undefined) return getIntegrationView(db, id);
  const name = patch.name;
  // Read back inside the transaction: the answer is what this request wrote, not a later rename's.
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ name: integrations.name }).from(integrations).where(eq(integrations.id, id)).for("update");
    if (!before) throw missing(id);
    const changes = auditDiff(before, { name });
    if (Object.keys(changes).length) {
      await tx
        .update(integrations)
        .set({ name, updatedAt: sql`now()` })
        .where(eq(integrations.id, id));
      await recordAudit(tx, actor, { action: "integration.update", targetType: "integration", targetId: id, changes });
    }
    return getIntegrationView(tx, id);
  });
}

/**
 * Deletes an integration with its syncs and their jobs (foreign keys cascade). Refused while
 * any of its syncs has an active job. Its syncs' schedules, the syncs and then the integration are
 * locked, in the order every other writer takes them (a trigger share-locks the sync, then its
 * insert key-share-locks the integration; createSync share-locks the integration), so no job and
 * no sync can start in between. Like deleting each sync, change data capture syncs' slots and
 * publications are dropped on their sources first, or the delete is refused unless forced.
 * Warehouse schemas the syncs loaded are left in place.
 */
export async function deleteIntegration(
  db: DbOrTx,
  id: string,
  actor: AuditActor | undefined,
  opts: { force?: boolean; dropReplication: DropReplication },
): Promise<void> {
  if (!isObjectId(id)) throw missing(id);
  await db.transaction(async (tx) => {
    const scheduled = await tx
      .select()
      .from(schedules)
      .where(inArray(schedules.syncId, tx.select({ id: syncs.id }).from(syncs).where(eq(syncs.integrationId, id))))
      .orderBy(schedules.syncId)
      .for("update");
    const owned = await tx.select().from(syncs).where(eq(syncs.integrationId, id)).orderBy(syncs.id).for("update");
    const [row] = await tx
      .select({ id: integrations.id, name: integrations.name })
      .from(integrations)
      .where(eq(integrations.id, id))
      .for("update");
    if (!row) throw missing(id);
    // Read again under the integration's lock: a sync created just before it is caught too.
    const all = await tx.select({ id: syncs.id, name: syncs.name }).from(syncs).where(eq(syncs.integrationId, id));
    const active = await findActiveJobAmong(
      tx,
      all.map((s) => s.id),
    );
    if (active) throw jobActiveError("The integration cannot be deleted", active);
    for (const sync of owned) await opts.dropReplication(openConfig(sync.source) as SourceConfig, sync.id, { force: opts.force });
    // Each sync's and schedule's own history ends with its removal, as when they are deleted one by one.
    for (const schedule of scheduled) await setScheduleAudited(tx, schedule.syncId, null, schedule, actor);
    for (const sync of all)
      await recordAudit(tx, actor, {
        action: "sync.delete",
        targetType: "sync",
        targetId: sync.id,
        changes: { name: { from: sync.name } },
      });
    await tx.delete(integrations).where(eq(integrations.id, id));
    await recordAudit(tx, actor, {
      action: "integration.delete",
      targetType: "integration",
      targetId: id,
      changes: { name: { from: row.name }, syncs: { from: all.map((o) => o.id) } },
    });
  });
}
