"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ApiClientError, apiGet, qs } from "@/lib/ui/api-client";
import { qk } from "@/lib/ui/query-keys";
import { type IntegrationT, isActive, type Page, type SyncJobT, type SyncT } from "@/lib/ui/types";
import { usePollWhileActive } from "./use-poll";

export const fetchIntegrations = () => apiGet<Page<IntegrationT>>(`/v1/integrations${qs({ limit: 200 })}`);

export function useIntegrations() {
  return useQuery({ queryKey: qk.integrations(), queryFn: fetchIntegrations, staleTime: 30_000 });
}

/** The header switcher's search: the first 50 names (A to Z) containing `q`, asked only while the switcher is open. */
export function useIntegrationSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: qk.integrationSearch(q),
    queryFn: ({ signal }) => apiGet<Page<IntegrationT>>(`/v1/integrations${qs({ q, sort: "name", limit: 50 })}`, signal),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useIntegration(id: string) {
  return useQuery({
    queryKey: qk.integration(id),
    queryFn: () => apiGet<IntegrationT>(`/v1/integrations/${id}`),
    enabled: !!id,
    staleTime: 60_000,
  });
}

export const fetchSyncsOf = (integrationId: string) => apiGet<Page<SyncT>>(`/v1/syncs${qs({ _integrationId: integrationId, limit: 200 })}`);

export function useSyncsOf(integrationId: string) {
  // Creating a sync sends no job event: while the integration is empty, look for new ones now and then.
  return useQuery({
    queryKey: qk.syncsOf(integrationId),
    queryFn: () => fetchSyncsOf(integrationId),
    refetchInterval: (q) => (q.state.data && q.state.data.totalCount === 0 ? 5_000 : false),
  });
}

/** Newest job per sync. The API answers 204 when no sync ever ran and 404 when there are no syncs: both are "no jobs". */
export async function fetchLatestJobs(integrationId: string): Promise<SyncJobT[]> {
  try {
    return (await apiGet<SyncJobT[] | null>(`/v1/integrations/${integrationId}/syncJobs/latest`)) ?? [];
  } catch (e) {
    if (e instanceof ApiClientError && e.code === "sync_job_invalid_integration_id") return [];
    throw e;
  }
}

export function useLatestJobs(integrationId: string) {
  const refetchInterval = usePollWhileActive<SyncJobT[]>((jobs) => !!jobs?.some((j) => isActive(j.status)));
  return useQuery({ queryKey: qk.latestJobs(integrationId), queryFn: () => fetchLatestJobs(integrationId), refetchInterval });
}
