import { dehydrate, type DehydratedState, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { isDomainError } from "@/lib/errors";
import { presentError, presentFamily, presentJob } from "@/lib/jobs/present";
import { getJobFamily, getSyncJob, latestJobsForIntegration, listJobErrors, listSyncJobs, tableProgressFor } from "@/lib/jobs/queries";
import { findIntegration } from "@/lib/integrations/queries";
import { listIntegrationViews, presentIntegration } from "@/lib/integrations/service";
import { getSyncView, listSyncViews } from "@/lib/syncs/service";
import { listCheckpoints } from "@/lib/syncs/checkpoints";
import { getScheduleView } from "@/lib/scheduler/schedules";
import { SyncErrorsQuery } from "@/lib/contracts/jobs";
import { resolveTableFilter, summarizeErrors } from "@/lib/jobs/error-report";
import { ERRORS_PAGE_SIZE, TREND_RUNS } from "@/lib/ui/constants";
import { type ErrorFilterKey, type JobHistoryFilter, qk } from "@/lib/ui/query-keys";
import type { FamilyT, IntegrationT, SyncJobT, SyncT } from "@/lib/ui/types";

/**
 * First paint with data: pages call the same services the /v1 handlers call and hand the results
 * to the client cache (HydrationBoundary), so a page is complete in its HTML and TanStack Query
 * takes over for live updates. The shapes are exactly the wire's (same presenters).
 */

const asWire = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;

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

/** One page of a sync's history as GET /v1/syncs/{id}/syncJobs answers it. */
async function historyPage(syncId: string, f: JobHistoryFilter) {
  const db = getDb();
  const page = await listSyncJobs(db, {
    syncId,
    limit: f.limit,
    offset: 0,
    cursor: f.cursor,
    statuses: f.status ? (f.status.split(",") as never) : undefined,
  });
  const progress = await tableProgressFor(db, page.rows);
  return asWire({
    data: page.rows.map((r) => presentJob(r, progress.get(r.id))),
    totalCount: page.totalCount,
    nextCursor: page.nextCursor,
  });
}

/**
 * Everything the sync page shows on first paint, fetched in parallel: the history page, the trend,
 * the checkpoints, the latest run's tables, the schedule and the integration (for the breadcrumb). Each one left
 * to the browser was a request after hydration with a skeleton until it answered.
 */
export async function prefetchSyncPage(sync: SyncT, history: JobHistoryFilter): Promise<DehydratedState> {
  const client = new QueryClient();
  client.setQueryData(qk.syncDetail(sync._id), sync);
  const latestId = sync.latestJob?._id;
  const [page, trend, checkpoints, family, integration, schedule] = await Promise.all([
    // A bad cursor or status in the URL: the client query shows the API's message instead.
    historyPage(sync._id, history).catch(() => undefined),
    historyPage(sync._id, { limit: TREND_RUNS }),
    listCheckpoints(getDb(), sync._id),
    latestId ? loadFamily(latestId) : null,
    loadIntegration(sync._integrationId),
    sync.schedule ? getScheduleView(getDb(), sync._id).catch(() => undefined) : undefined,
  ]);
  if (page) client.setQueryData(qk.syncJobsPage(sync._id, history), page);
  client.setQueryData(qk.syncTrend(sync._id), trend);
  client.setQueryData(qk.checkpoints(sync._id), checkpoints);
  if (family) client.setQueryData(qk.family(family._id), family);
  if (integration) client.setQueryData(qk.integration(integration._id), integration);
  // components/schedule/use-schedule.ts's scheduleKey (a browser module, so not importable here).
  if (schedule) client.setQueryData([...qk.sync(sync._id), "schedule"], asWire(schedule));
  return dehydrate(client);
}

export async function loadFamily(id: string): Promise<FamilyT | null> {
  const family = await getJobFamily(getDb(), id);
  if (!family) return null;
  return asWire<FamilyT>(presentFamily(family));
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

/**
 * The errors page's cache: the job's family, sync and integration, plus the first page of errors and
 * the facet counts under the URL's filter, so the page is complete in its HTML. A filter the API would
 * refuse is left to the client query, which shows the API's message.
 */
export async function prefetchJobErrors(family: FamilyT, f: ErrorFilterKey): Promise<DehydratedState> {
  const parsed = SyncErrorsQuery.safeParse({ _childJobId: f.child, code: f.code, stage: f.stage, q: f.q, limit: String(ERRORS_PAGE_SIZE) });
  if (!parsed.success) return dehydrateFamily(family);
  const db = getDb();
  const { _childJobId, limit, ...rest } = parsed.data;
  const filter = { parentJobId: family._id, childJobId: _childJobId, ...rest };
  // The errors and the breadcrumbs' sync and integration need only the job's ids: all at once.
  const [state, page, summary] = await Promise.all([
    dehydrateFamily(family),
    listJobErrors(db, { ...filter, limit, offset: 0 }),
    resolveTableFilter(db, filter).then((resolved) =>
      resolved ? summarizeErrors(db, resolved) : { byCode: [], byTable: [], byStage: [] },
    ),
  ]);
  const client = new QueryClient();
  client.setQueryData(
    qk.errorsPage(family._id, f, undefined),
    asWire({ rows: page.rows.map(presentError), totalCount: page.totalCount, nextCursor: page.nextCursor }),
  );
  client.setQueryData(qk.errorSummary(family._id, f), asWire(summary));
  const more = dehydrate(client);
  return { ...state, queries: [...state.queries, ...more.queries] };
}

export async function jobExists(id: string): Promise<{ id: string; syncId: string; integrationId: string } | null> {
  const job = await getSyncJob(getDb(), id);
  return job ? { id: job.id, syncId: job.syncId, integrationId: job.integrationId } : null;
}
