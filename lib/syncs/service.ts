import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { checkpoints, integrations, syncs } from "@/db/schema";
import { invalid, notFound } from "@/lib/errors";
import type { SyncPatchBody } from "@/lib/contracts/management";
import { isObjectId } from "@/lib/ids";
import { lockSchedule, setScheduleAudited } from "@/lib/scheduler/schedules";
import type { DestinationConfig, SourceConfig } from "@/lib/contracts/sync-config";
import { tableNames } from "@/lib/contracts/sync-config";
import { assertUniqueTables, auditedSync } from "./create";
import { type AuditActor, auditDiff, recordAudit } from "@/lib/audit";
import { assertAllowedTargets, assertNotItsOwnSource } from "./targets";
import { openConfig, sealConfig } from "@/lib/secrets";
import { presentSync, type SyncView } from "./present";
import {
  assertDestinationFree,
  findActiveJobAmong,
  getSyncOr404,
  jobActiveError,
  latestJobs,
  listSyncs,
  schedulesOf,
  type SyncRow,
} from "./queries";

/** Reads the schedules and latest jobs of these syncs; presents a sync row with its own. */
async function detailsOf(db: DbOrTx, ids: string[]): Promise<(row: SyncRow) => SyncView> {
  const [scheds, jobs] = await Promise.all([schedulesOf(db, ids), latestJobs(db, ids)]);
  return (r) => presentSync(r, { schedule: scheds.get(r.id), latestJob: jobs.get(r.id) });
}

async function withDetails(db: DbOrTx, rows: SyncRow[]): Promise<SyncView[]> {
  const ids = rows.map((r) => r.id);
  return rows.map(await detailsOf(db, ids));
}

/**
 * One sync with its schedule and latest job. The three lookups go out together (they need only the
 * id): a page waits for this before rendering anything, and under load each round trip costs.
 */
export async function getSyncView(db: DbOrTx, id: string, field = "_syncId"): Promise<SyncView> {
  const [row, present] = await Promise.all([getSyncOr404(db, id, { field }), detailsOf(db, isObjectId(id) ? [id] : [])]);
  return present(row);
}

export async function listSyncViews(
  db: DbOrTx,
  params: { integrationId?: string; limit: number; offset: number },
): Promise<{ data: SyncView[]; totalCount: number }> {
  // The integration's existence is checked beside the list, not before it (a round trip less).
  const integrationId = params.integrationId;
  const [exists, { rows, totalCount }] = await Promise.all([
    integrationId === undefined
      ? true
      : isObjectId(integrationId) &&
        db
          .select({ id: integrations.id })
          .from(integrations)
          .where(eq(integrations.id, integrationId))
          .then((r) => r.length > 0),
    listSyncs(db, params),
  ]);
  if (!exists) throw notFound("invalid_ref", `Integration ${params.integrationId} not found`, "_integrationId");
  return { data: await withDetails(db, rows), totalCount };
}

/** Sorted-key JSON, so two configs compare equal whatever order their keys were sent in. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

/**
 * Checkpoints that no longer describe what the next run would read are dropped, so that run
 * loads those tables in full instead of applying a cursor from another source or warehouse.
 */
function staleCheckpointTables(before: SyncRow, source: SourceConfig, destination: DestinationConfig): string[] | "all" {
  const oldSource = before.source as SourceConfig;
  const oldDest = before.destination as DestinationConfig;
  if (oldDest.schema !== destination.schema || (oldDest.url ?? "") !== (destination.url ?? "")) return "all";
  const { tables: oldTables, ...oldSettings } = oldSource;
  const { tables: newTables, ...newSettings } = source;
  if (canonical(oldSettings) !== canonical(newSettings)) return "all";
  const newByName = new Map<string, unknown>(newTables.map((t) => [t.name, t]));
  return (oldTables as { name: string }[])
    .filter((t) => !newByName.has(t.name) || canonical(newByName.get(t.name)) !== canonical(t))
    .map((t) => t.name);
}

/**
 * Drops a sync's replication slot and publication on its source, or refuses (`replication_cleanup_failed`)
 * unless forced. The engine owns slots (lib/engine/sources/cdc/cleanup.ts); the route passes its
 * `dropSyncReplication` in, since services sit below the engine and do not import it.
 */
export type DropReplication = (source: SourceConfig, syncId: string, opts: { force?: boolean }) => Promise<void>;

export async function patchSync(
  db: DbOrTx,
  id: string,
  patch: SyncPatchBody,
  actor: AuditActor | undefined,
  dropReplication: DropReplication,
): Promise<SyncView> {
  await assertAllowedTargets(patch.source, patch.destination);
  let leftBehind: SourceConfig | undefined;
  const view = await db.transaction(async (tx) => {
    const scheduleBefore = await lockSchedule(tx, id);
    const stored = await getSyncOr404(tx, id, { lock: true });
    // Edits work on the config in the clear; it is sealed again on the way back in.
    const before: SyncRow = { ...stored, source: openConfig(stored.source), destination: openConfig(stored.destination) };
    let source = before.source as SourceConfig;
    let destination = before.destination as DestinationConfig;
    const configChanges = patch.source !== undefined || patch.destination !== undefined;

    // A running job reads the config as it goes (each table when it starts); changing it underneath
    // would mix two configs, or two schema-change policies, in one run.
    const policyChange = patch.schemaChanges !== undefined && patch.schemaChanges !== before.schemaChanges;
    if (configChanges || policyChange) {
      const active = await findActiveJobAmong(tx, [before.id]);
      if (active)
        throw jobActiveError(configChanges ? "The source and destination cannot change" : "The schema change policy cannot change", active);
    }
    if (patch.source) {
      const { url, ...rest } = patch.source as typeof patch.source & { url?: string };
      if (rest.type === "postgres" && !url) {
        // The stored URL is never shown, so an edit may omit it to keep it.
        const keep = (before.source as SourceConfig).type === "postgres" ? (before.source as { url: string }).url : undefined;
        if (!keep) throw invalid("source.url: a postgres source needs a connection URL", "source.url", "missing_required_field");
        source = { ...rest, url: keep } as SourceConfig;
      } else {
        source = patch.source as SourceConfig;
      }
    }
    if (patch.destination) {
      // The stored warehouse url is never shown: omitted keeps it, null goes back to the app's own database.
      const { url, ...rest } = patch.destination;
      const kept = url === undefined ? (before.destination as DestinationConfig).url : (url ?? undefined);
      destination = kept ? { ...rest, url: kept } : rest;
    }
    const tables = tableNames(source);
    assertUniqueTables(tables);

    if (configChanges) {
      assertNotItsOwnSource(source, destination);
      await assertDestinationFree(tx, { destination, tables, exceptSyncId: before.id });
      const stale = staleCheckpointTables(before, source, destination);
      if (stale === "all") await tx.delete(checkpoints).where(eq(checkpoints.syncId, before.id));
      else if (stale.length)
        await tx.delete(checkpoints).where(and(eq(checkpoints.syncId, before.id), inArray(checkpoints.tableName, stale)));
    }

    const [row] = await tx
      .update(syncs)
      .set({
        name: patch.name ?? before.name,
        description: patch.description === undefined ? before.description : patch.description || null,
        disabled: patch.disabled ?? before.disabled,
        schemaChanges: patch.schemaChanges ?? before.schemaChanges,
        source: sealConfig(source),
        destination: sealConfig(destination, { fingerprint: true }),
        tables,
        updatedAt: sql`now()`,
      })
      .where(eq(syncs.id, before.id))
      .returning();

    const changes = auditDiff(auditedSync(before), auditedSync({ ...row, source, destination }));
    // A schedule change is the schedule's own event, as when it is PUT; the sync's lists what else changed.
    if (patch.schedule !== undefined) await setScheduleAudited(tx, before.id, patch.schedule, scheduleBefore, actor);
    // An edit that changed nothing is no event.
    if (Object.keys(changes).length)
      await recordAudit(tx, actor, { action: "sync.update", targetType: "sync", targetId: before.id, changes });

    // Replication switched off, or pointed at another database: the old slot would hold WAL there forever.
    const old = before.source as SourceConfig;
    if (
      old.type === "postgres" &&
      old.replication === "logical" &&
      (source.type !== "postgres" || source.replication !== "logical" || source.url !== old.url)
    )
      leftBehind = old;
    const [view] = await withDetails(tx, [row]);
    return view;
  });
  if (leftBehind) await dropReplication(leftBehind, id, { force: true });
  return view;
}

/**
 * Deletes a sync with its jobs, errors, checkpoints and schedule (foreign keys cascade).
 * The sync row is locked (after its schedule, see lockSchedule): a trigger share-locks it, so no
 * job can start between the active-job check and the delete.
 */
export async function deleteSync(
  db: DbOrTx,
  id: string,
  actor: AuditActor | undefined,
  opts: { force?: boolean; dropReplication: DropReplication },
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockSchedule(tx, id);
    const sync = await getSyncOr404(tx, id, { lock: true });
    const active = await findActiveJobAmong(tx, [sync.id]);
    if (active) throw jobActiveError("The sync cannot be deleted", active);
    // A change data capture source's slot and publication go with the sync (or the delete is refused).
    await opts.dropReplication(openConfig(sync.source) as SourceConfig, sync.id, { force: opts.force });
    await tx.delete(syncs).where(eq(syncs.id, sync.id));
    await recordAudit(tx, actor, { action: "sync.delete", targetType: "sync", targetId: sync.id, changes: { name: { from: sync.name } } });
  });
}
