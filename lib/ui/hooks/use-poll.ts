"use client";

import { useCallback } from "react";
import { useLiveStatus } from "@/lib/ui/live-state";

/**
 * A `refetchInterval` for queries holding jobs: off when nothing is active, a slow safety net
 * while the event stream is live, ~2 s when it is down.
 */
export function usePollWhileActive<T>(
  isAnyActive: (data: T | undefined) => boolean,
): (q: { state: { data: T | undefined } }) => number | false {
  const live = useLiveStatus();
  return useCallback(
    (q: { state: { data: T | undefined } }) => (isAnyActive(q.state.data) ? (live === "live" ? 15_000 : 2_000) : false),
    // The predicate is a pure function of the data; only the stream's health changes the interval.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [live],
  );
}
