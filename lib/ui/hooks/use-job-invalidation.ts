"use client";

import { type QueryClient, type QueryKey, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import { qk } from "@/lib/ui/query-keys";

export type LiveEvent =
  | { kind: "job" | "table" | "progress"; syncJobId: string; syncId: string; integrationId?: string; tableJobId?: string; status?: string }
  | { kind: "resync" };

const FLUSH_MS = 300;

/** Which cached queries an event makes stale. Inactive queries are only marked stale, not refetched. */
export function keysForEvent(e: LiveEvent): QueryKey[] {
  if (e.kind === "resync") return [["job"], ["sync"], ["integration"], qk.overview()];
  const keys: QueryKey[] = [qk.family(e.syncJobId), qk.syncJobs(e.syncId), qk.syncDetail(e.syncId)];
  if (e.integrationId) keys.push(qk.latestJobs(e.integrationId));
  if (e.kind !== "progress") {
    // A table that finished committed its checkpoint and its errors; a job that ended changes the
    // trend and the list. (Errors are not recounted on every progress batch: on a job with
    // millions of errors that would be a count per batch for nothing.)
    keys.push(qk.errors(e.syncJobId), qk.checkpoints(e.syncId), qk.syncTrend(e.syncId));
    if (e.integrationId) keys.push(qk.syncsOf(e.integrationId));
    // Home's health counts and failure list move when a job starts or ends.
    if (e.kind === "job") keys.push(qk.overview());
  }
  return keys;
}

/** After the user's own run or cancel: refresh what it touched at once (no coalescing needed). */
export function invalidateAfterAction(client: QueryClient, ids: { syncJobId?: string; syncId: string; integrationId?: string }): void {
  const keys = keysForEvent({ kind: "job", syncJobId: ids.syncJobId ?? "", syncId: ids.syncId, integrationId: ids.integrationId });
  for (const queryKey of keys) if (ids.syncJobId || queryKey[0] !== "job") void client.invalidateQueries({ queryKey });
}

/**
 * The one place job data is invalidated. Events are coalesced for 300 ms (a busy job sends many
 * progress events) and never dropped: a key whose query is mid-fetch stays pending until that
 * fetch is done and is then fetched again, so the last change always lands (a table that
 * finished never stays "running" on screen).
 */
export function useJobInvalidation(): { onEvent: (e: LiveEvent) => void; invalidateAll: () => void } {
  const client = useQueryClient();
  const pending = useRef(new Map<string, QueryKey>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(
    function flushPending() {
      timer.current = null;
      for (const [hash, queryKey] of pending.current) {
        if (client.isFetching({ queryKey }) > 0) continue;
        pending.current.delete(hash);
        void client.invalidateQueries({ queryKey }, { cancelRefetch: false });
      }
      if (pending.current.size && !timer.current) timer.current = setTimeout(flushPending, FLUSH_MS);
    },
    [client],
  );

  const schedule = useCallback(
    (keys: QueryKey[]) => {
      for (const k of keys) pending.current.set(JSON.stringify(k), k);
      timer.current ??= setTimeout(flush, FLUSH_MS);
    },
    [flush],
  );

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const onEvent = useCallback((e: LiveEvent) => schedule(keysForEvent(e)), [schedule]);
  const invalidateAll = useCallback(() => schedule(keysForEvent({ kind: "resync" })), [schedule]);
  return { onEvent, invalidateAll };
}
