"use client";

import { useSyncExternalStore } from "react";

/** Health of the page's live event stream (`idle`: the page has none); queries poll faster unless `live`. */
export type LiveStatus = "idle" | "connecting" | "live" | "polling";

let status: LiveStatus = "idle";
const subscribers = new Set<() => void>();

export function setLiveStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const fn of subscribers) fn();
}

const subscribe = (fn: () => void) => {
  subscribers.add(fn);
  return () => void subscribers.delete(fn);
};

export const useLiveStatus = (): LiveStatus =>
  useSyncExternalStore(
    subscribe,
    () => status,
    () => "idle",
  );

/** Polling of active jobs: a slow safety net while the stream is live, ~2 s when it is down. */
export function useActivePollInterval(anyActive: boolean): number | false {
  const live = useLiveStatus();
  if (!anyActive) return false;
  return live === "live" ? 15_000 : 2_000;
}
