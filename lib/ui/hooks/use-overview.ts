"use client";

import { useQuery } from "@tanstack/react-query";
import type { OverviewT } from "@/lib/contracts/overview";
import { apiGet, qs } from "@/lib/ui/api-client";
import { OVERVIEW_FAILURES } from "@/lib/ui/constants";
import { qk } from "@/lib/ui/query-keys";
import { usePollWhileActive } from "./use-poll";

export const fetchOverview = () => apiGet<OverviewT>(`/v1/overview${qs({ failures: OVERVIEW_FAILURES })}`);

/** Live through the all-jobs event stream (job events invalidate it); polls only while something runs and the stream is down. */
export function useOverview() {
  const refetchInterval = usePollWhileActive<OverviewT>((o) => !!o && o.totals.running > 0);
  return useQuery({
    queryKey: qk.overview(),
    queryFn: fetchOverview,
    // A fresh install has nothing to stream: look for the first sync now and then.
    refetchInterval: (q) => (q.state.data?.totals.numSyncs === 0 ? 10_000 : refetchInterval(q)),
  });
}
