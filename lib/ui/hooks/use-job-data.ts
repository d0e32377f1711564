"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiGet, apiRequest, qs } from "@/lib/ui/api-client";
import { ERRORS_PAGE_SIZE } from "@/lib/ui/constants";
import { type ErrorFilterKey, qk } from "@/lib/ui/query-keys";
import { type ErrorSummaryT, type FamilyT, isActive, type SyncErrorT } from "@/lib/ui/types";
import { usePollWhileActive } from "./use-poll";

export const fetchFamily = (id: string) => apiGet<FamilyT>(`/v1/syncJobs/${id}/family`);

export function useFamily(id: string) {
  const refetchInterval = usePollWhileActive<FamilyT>((f) => isActive(f?.status));
  return useQuery({ queryKey: qk.family(id), queryFn: () => fetchFamily(id), refetchInterval, enabled: !!id });
}

/** The errors endpoint's query string for a filter (also used by the CSV export link). */
export const errorFilterQuery = (f: ErrorFilterKey) => ({ _childJobId: f.child, code: f.code, stage: f.stage, q: f.q });

export type ErrorsPage = { rows: SyncErrorT[]; totalCount: number; nextCursor?: string };

export function useJobErrors(id: string, f: ErrorFilterKey, cursor: string | undefined) {
  return useQuery({
    queryKey: qk.errorsPage(id, f, cursor),
    queryFn: async ({ signal }): Promise<ErrorsPage> => {
      const res = await apiRequest<SyncErrorT[]>(
        `/v1/syncJobs/${id}/errors${qs({ ...errorFilterQuery(f), limit: ERRORS_PAGE_SIZE, cursor })}`,
        { signal },
      );
      return {
        rows: res.data ?? [],
        totalCount: Number(res.headers.get("x-total-count") ?? 0),
        nextCursor: res.headers.get("x-next-cursor") ?? undefined,
      };
    },
    placeholderData: keepPreviousData,
  });
}

export function useErrorSummary(id: string, f: ErrorFilterKey) {
  return useQuery({
    queryKey: qk.errorSummary(id, f),
    queryFn: ({ signal }) => apiGet<ErrorSummaryT>(`/v1/syncJobs/${id}/errors/summary${qs(errorFilterQuery(f))}`, signal),
    placeholderData: keepPreviousData,
  });
}
