"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { scheduleView } from "@/lib/contracts/schedules";
import { ApiClientError, apiGet, apiSend } from "@/lib/ui/api-client";
import { qk } from "@/lib/ui/query-keys";

export type ScheduleViewT = z.infer<typeof scheduleView>;
export type ScheduleDraft = { cron: string; timezone: string; enabled: boolean };

/** Under the sync's prefix, so invalidating `qk.sync(id)` refreshes the schedule too. */
export const scheduleKey = (syncId: string) => [...qk.sync(syncId), "schedule"] as const;
const path = (syncId: string) => `/v1/syncs/${syncId}/schedule`;

/**
 * The schedule, or null when the sync has none. Polls so fired and skipped slots appear on their own.
 * `known: false` (the sync says it has no schedule) skips the request, which would only answer 404
 * and leave an error in the browser console.
 */
export function useSchedule(syncId: string, known?: boolean) {
  return useQuery({
    queryKey: scheduleKey(syncId),
    enabled: known !== false,
    ...(known === false ? { initialData: null } : {}),
    queryFn: async () => {
      try {
        return await apiGet<ScheduleViewT>(path(syncId));
      } catch (e) {
        if (e instanceof ApiClientError && e.code === "schedule_not_found") return null;
        throw e;
      }
    },
    refetchInterval: 15_000,
  });
}

function useScheduleMutation<I>(syncId: string, send: (input: I) => Promise<ScheduleViewT | null>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (view) => client.setQueryData(scheduleKey(syncId), view),
    // The sync page shows the schedule summary and next run elsewhere too.
    onSettled: () => client.invalidateQueries({ queryKey: qk.sync(syncId) }),
  });
}

export const useSaveSchedule = (syncId: string) =>
  useScheduleMutation(syncId, (draft: ScheduleDraft) => apiSend<ScheduleViewT>("PUT", path(syncId), draft));

export const useRemoveSchedule = (syncId: string) =>
  useScheduleMutation(syncId, async () => {
    await apiSend<null>("DELETE", path(syncId));
    return null;
  });
