import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { integrations, syncs } from "@/db/schema";
import { DomainError, notFound } from "@/lib/errors";
import { type SyncCreateBody, syncCreateBody } from "@/lib/contracts/management";
import { isObjectId, newId } from "@/lib/ids";
import { tableNames } from "@/lib/contracts/sync-config";
import { upsertSchedule } from "@/lib/scheduler/schedules";
import { assertDestinationFree } from "./queries";
import { assertAllowedTargets, assertNotItsOwnSource } from "./targets";
import { sealConfig } from "@/lib/secrets";
import { type AuditActor, auditDiff, recordAudit } from "@/lib/audit";

/** Kept under its old name: the seeding code and tests create syncs through it. */
export const createSyncInput = syncCreateBody;
export type CreateSyncInput = Omit<SyncCreateBody, "schedule"> & {
  schedule?: { cron: string; timezone?: string; enabled?: boolean };
};
export type SyncRow = typeof syncs.$inferSelect;

export function assertUniqueTables(names: string[], field = "source.tables"): void {
  const dup = names.find((t, i) => names.indexOf(t) !== i);
  if (dup) throw new DomainError("invalid_parameter", `Table ${dup} is listed twice`, { field });
}

/** Creates a sync (and its schedule, when given) in one transaction. */
export async function createSync(db: DbOrTx, input: CreateSyncInput, actor?: AuditActor): Promise<SyncRow> {
  if (!isObjectId(input._integrationId)) throw notFound("invalid_ref", "Integration not found", "_integrationId");
  const tables = tableNames(input.source);
  assertUniqueTables(tables);
  if (input.destination) assertNotItsOwnSource(input.source, input.destination);
  await assertAllowedTargets(input.source, input.destination);
  return db.transaction(async (tx) => {
    // Share-lock the integration so a concurrent DELETE cannot leave this sync orphaned mid-insert.
    const [integration] = await tx
      .select({ id: integrations.id })
      .from(integrations)
      .where(eq(integrations.id, input._integrationId))
      .for("share");
    if (!integration) throw notFound("invalid_ref", "Integration not found", "_integrationId");
    const id = newId();
    const destination = input.destination ?? { type: "postgres" as const, schema: `wh_${id.slice(-8)}` };
    await assertDestinationFree(tx, { destination, tables });
    const [row] = await tx
      .insert(syncs)
      .values({
        id,
        integrationId: integration.id,
        name: input.name,
        description: input.description || null,
        source: sealConfig(input.source),
        destination: sealConfig(destination, { fingerprint: true }),
        tables,
        disabled: input.disabled ?? false,
        schemaChanges: input.schemaChanges ?? "propagate",
      })
      .returning();
    if (input.schedule) {
      await upsertSchedule(tx, id, input.schedule);
    }
    await recordAudit(tx, actor, {
      action: "sync.create",
      targetType: "sync",
      targetId: id,
      changes: auditDiff(undefined, auditedSync({ ...input, destination })),
    });
    return row;
  });
}

/** The fields of a sync the audit log compares (configs in the clear: auditDiff hides their urls). */
export const auditedSync = (s: {
  name: string;
  source: unknown;
  destination: unknown;
  disabled?: boolean;
  schemaChanges?: string;
  schedule?: unknown;
}) => ({
  name: s.name,
  source: s.source,
  destination: s.destination,
  disabled: s.disabled ?? false,
  schemaChanges: s.schemaChanges ?? "propagate",
  ...(s.schedule ? { schedule: s.schedule } : {}),
});

export async function createIntegration(db: DbOrTx, name: string) {
  const [row] = await db.insert(integrations).values({ id: newId(), name }).returning();
  return row;
}
