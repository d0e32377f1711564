import { dehydrate, type DehydratedState, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { isDomainError } from "@/lib/errors";
import { presentJob, presentTable } from "@/lib/jobs/present";
import { getSyncJob, getTableJobs, latestJobsForIntegration, listSyncJobs, tableProgressFor } from "@/lib/jobs/queries";
import { findIntegration } from "@/lib/integrations/queries";
import { listIntegrationViews, presentIntegration } from "@/lib/integrations/service";
import { getSyncView, listSyncViews } from "@/lib/syncs/service";
import { type JobHistoryFilter, qk } from "@/lib/ui/query-keys";
import type { FamilyT, IntegrationT, SyncJobT, SyncT } from "@/lib/ui/types";

/**
 * First paint with data: pages call the same services the /v1 handlers call and hand the results
 * to the client cache (HydrationBoundary), so a page is complete in its HTML and TanStack Query
 * takes over for live updates. The shapes are exactly the wire's (same presenters).
 */

const asWire = <T,>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

export async function prefetchIntegrations(): Promise<DehydratedState> {
  const client = new QueryClient();
  client.setQueryData(qk.integrations(), asWire(await listIntegrationViews(getDb(), { limit: 200, offset: 0 })));
  return dehydrate(client);
}

/** Where home lands: the first integration (in list order) that has syncs, else the first one. */
export async function firstIntegrationId(): Promise<string | undefined> {
  const { data } = await listIntegrationViews(getDb(), { limit: 200, offset: 0 });
  return (data.find((i) => i.numSyncs > 0) ?? data[0])?._id;
}

export async function loadIntegration(id: string): Promise<IntegrationT | null> {
  const row = await findIntegration(getDb(), id);
  return row ? asWire<IntegrationT>(presentIntegration(row)) : null;
}

export async function prefetchIntegrationPage(integration: IntegrationT): Promise<DehydratedState> {
  const db = getDb();
  const client = new QueryClient();
  const [syncs, latest] = await Promise.all([
    listSyncViews(db, { integrationId: integration._id, limit: 200, offset: 0 }),
    latestJobsForIntegration(db, integration._id),
  ]);
  let jobs: SyncJobT[] = [];
  if (latest.kind === "ok" && latest.rows.length) {
    const progress = await tableProgressFor(db, latest.rows);
    jobs = latest.rows.map((r) => asWire<SyncJobT>(presentJob(r, progress.get(r.id))));
  }
  client.setQueryData(qk.integration(integration._id), integration);
  client.setQueryData(qk.syncsOf(integration._id), asWire(syncs));
  client.setQueryData(qk.latestJobs(integration._id), jobs);
  return dehydrate(client);
}

export async function loadSync(id: string): Promise<SyncT | null> {
  try {
    return asWire<SyncT>(await getSyncView(getDb(), id));
  } catch (e) {
    if (isDomainError(e, "invalid_ref")) return null;
    throw e;
  }
}

export async function prefetchSyncPage(sync: SyncT, history: JobHistoryFilter): Promise<DehydratedState> {
  const db = getDb();
  const client = new QueryClient();
  client.setQueryData(qk.syncDetail(sync._id), sync);
  try {
    const page = await listSyncJobs(db, {
      syncId: sync._id,
      limit: history.limit,
      offset: 0,
      cursor: history.cursor,
      statuses: history.status ? (history.status.split(",") as never) : undefined,
    });
    const progress = await tableProgressFor(db, page.rows);
    client.setQueryData(
      qk.syncJobsPage(sync._id, history),
      asWire({ data: page.rows.map((r) => presentJob(r, progress.get(r.id))), totalCount: page.totalCount, nextCursor: page.nextCursor }),
    );
  } catch {
    // A bad cursor or status in the URL: the client query shows the API's message instead.
  }
  return dehydrate(client);
}

export async function loadFamily(id: string): Promise<FamilyT | null> {
  const db = getDb();
  const job = await getSyncJob(db, id);
  if (!job) return null;
  const tables = await getTableJobs(db, job.id);
  const now = new Date();
  return asWire<FamilyT>({ ...presentJob(job, tables, now), tables: tables.map((t) => presentTable(t, now)) });
}

/** The job page's cache: the family plus the sync and integration its breadcrumbs and actions need. */
export async function dehydrateFamily(family: FamilyT): Promise<DehydratedState> {
  const client = new QueryClient();
  const [sync, integration] = await Promise.all([loadSync(family._syncId), loadIntegration(family._integrationId)]);
  client.setQueryData(qk.family(family._id), family);
  if (sync) client.setQueryData(qk.syncDetail(sync._id), sync);
  if (integration) client.setQueryData(qk.integration(integration._id), integration);
  return dehydrate(client);
}

export async function jobExists(id: string): Promise<{ id: string; syncId: string; integrationId: string } | null> {
  const job = await getSyncJob(getDb(), id);
  return job ? { id: job.id, syncId: job.syncId, integrationId: job.integrationId } : null;
}
