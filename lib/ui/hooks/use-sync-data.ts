"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiGet, qs } from "@/lib/ui/api-client";
import { TREND_RUNS } from "@/lib/ui/constants";
import { type JobHistoryFilter, qk } from "@/lib/ui/query-keys";
import { type CheckpointT, isActive, type SyncJobsPageT, type SyncT } from "@/lib/ui/types";
import { usePollWhileActive } from "./use-poll";

const anyActiveJob = (p: SyncJobsPageT | undefined) => !!p?.data.some((j) => isActive(j.status));

export function useSync(id: string) {
  const refetchInterval = usePollWhileActive<SyncT>((s) => isActive(s?.latestJob?.status));
  return useQuery({ queryKey: qk.syncDetail(id), queryFn: () => apiGet<SyncT>(`/v1/syncs/${id}`), refetchInterval, enabled: !!id });
}

export const fetchSyncJobs = (id: string, f: JobHistoryFilter) =>
  apiGet<SyncJobsPageT>(`/v1/syncs/${id}/syncJobs${qs({ limit: f.limit, cursor: f.cursor, status: f.status })}`);

/** One page of history; the previous page stays on screen while the next loads (no flashing on filter or page change). */
export function useSyncJobs(id: string, f: JobHistoryFilter) {
  const refetchInterval = usePollWhileActive(anyActiveJob);
  return useQuery({
    queryKey: qk.syncJobsPage(id, f),
    queryFn: () => fetchSyncJobs(id, f),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

export { TREND_RUNS };

export function useSyncTrend(id: string) {
  return useQuery({ queryKey: qk.syncTrend(id), queryFn: () => fetchSyncJobs(id, { limit: TREND_RUNS }) });
}

export function useCheckpoints(id: string) {
  return useQuery({ queryKey: qk.checkpoints(id), queryFn: () => apiGet<CheckpointT[]>(`/v1/syncs/${id}/checkpoints`) });
}
