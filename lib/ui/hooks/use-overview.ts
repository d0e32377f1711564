"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { OverviewT } from "@/lib/contracts/overview";
import { apiGet, qs } from "@/lib/ui/api-client";
import { OVERVIEW_FAILURES } from "@/lib/ui/constants";
import { type OverviewFilter, qk } from "@/lib/ui/query-keys";
import { usePollWhileActive } from "./use-poll";

export const fetchOverview = (f: OverviewFilter, signal?: AbortSignal) =>
  apiGet<OverviewT>(
    `/v1/overview${qs({ failures: OVERVIEW_FAILURES, limit: f.limit, q: f.q, attention: f.attention ? "true" : undefined })}`,
    signal,
  );

/**
 * Live through the all-jobs event stream (job events invalidate every overview key); polls only
 * while something runs and the stream is down. While a new search or page loads, the previous
 * answer stays on screen instead of a skeleton.
 */
export function useOverview(filter: OverviewFilter) {
  const refetchInterval = usePollWhileActive<OverviewT>((o) => !!o && o.totals.running > 0);
  return useQuery({
    queryKey: qk.overviewPage(filter),
    queryFn: ({ signal }) => fetchOverview(filter, signal),
    placeholderData: keepPreviousData,
    // A fresh install has nothing to stream: look for the first sync now and then.
    refetchInterval: (q) => (q.state.data?.totals.numSyncs === 0 ? 10_000 : refetchInterval(q)),
  });
}
