"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ApiClientError, apiSend, errorMessage } from "@/lib/ui/api-client";
import { qk } from "@/lib/ui/query-keys";
import type { FamilyT, SyncJobT } from "@/lib/ui/types";
import { invalidateAfterAction } from "./use-job-invalidation";

export type RunInput = { syncId: string; integrationId?: string; runType: "normal" | "resync"; tables?: string[]; syncName?: string };
type RunResult = { syncId: string; flowExecutionGroupId: string; _syncJobId: string };

/** A queued job as the list shows it until the real one arrives (a few hundred ms later). */
function optimisticJob(input: RunInput, jobId: string, flowExecutionGroupId: string): SyncJobT {
  return {
    _id: jobId,
    flowExecutionGroupId,
    _integrationId: input.integrationId ?? "",
    _syncId: input.syncId,
    runType: input.runType,
    status: "queued",
    triggeredBy: "you",
    createdAt: new Date().toISOString(),
    numExtractedRecords: 0,
    numLoadedRecords: 0,
    numErrors: 0,
    numTablesSynced: 0,
    numInsertedRecords: 0,
    numUpdatedRecords: 0,
    numDeletedRecords: 0,
  };
}

const runLabel = (i: RunInput) =>
  `${i.runType === "resync" ? "Full resync" : "Run"}${i.tables ? ` of ${i.tables.length} table${i.tables.length === 1 ? "" : "s"}` : ""}`;

export function useRunSync() {
  const client = useQueryClient();
  const router = useRouter();
  return useMutation({
    mutationFn: (input: RunInput) =>
      apiSend<RunResult>("POST", `/v1/syncs/${input.syncId}/run`, {
        runType: input.runType,
        ...(input.tables ? { tables: input.tables } : {}),
      }),
    onSuccess: (res, input) => {
      if (input.integrationId) {
        client.setQueryData<SyncJobT[]>(qk.latestJobs(input.integrationId), (jobs) => [
          ...(jobs ?? []).filter((j) => j._syncId !== input.syncId),
          optimisticJob(input, res._syncJobId, res.flowExecutionGroupId),
        ]);
      }
      toast.success(`${runLabel(input)} queued${input.syncName ? ` for ${input.syncName}` : ""}`, {
        action: { label: "View job", onClick: () => router.push(`/jobs/${res._syncJobId}`) },
      });
    },
    onError: (e, input) => {
      const activeJob = e instanceof ApiClientError ? (e.details._syncJobId as string | undefined) : undefined;
      toast.error(`${runLabel(input)} failed: ${errorMessage(e)}`, {
        ...(activeJob ? { action: { label: "Open active job", onClick: () => router.push(`/jobs/${activeJob}`) } } : {}),
      });
    },
    onSettled: (res, _e, input) => invalidateAfterAction(client, { syncJobId: res?._syncJobId, ...input }),
  });
}

/** Marks a job `canceling` in every cache at once, so Cancel visibly does something immediately. */
function markCanceling(client: ReturnType<typeof useQueryClient>, jobId: string, integrationId?: string) {
  client.setQueryData<FamilyT>(qk.family(jobId), (f) =>
    f && (f.status === "queued" || f.status === "running")
      ? {
          ...f,
          status: "canceling",
          tables: f.tables.map((t) => (t.status === "running" || t.status === "queued" ? { ...t, status: "canceling" } : t)),
        }
      : f,
  );
  if (integrationId) {
    client.setQueryData<SyncJobT[]>(qk.latestJobs(integrationId), (jobs) =>
      jobs?.map((j) => (j._id === jobId && (j.status === "running" || j.status === "queued") ? { ...j, status: "canceling" } : j)),
    );
  }
}

export type CancelInput = { jobId: string; syncId: string; integrationId?: string };

export function useCancelJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CancelInput) => apiSend<null>("PUT", `/v1/syncJobs/${input.jobId}/cancel`),
    onSuccess: (_r, input) => {
      markCanceling(client, input.jobId, input.integrationId);
      toast.success("Cancel requested — running tables stop within a few seconds");
    },
    onError: (e) => toast.error(`Cancel failed: ${errorMessage(e)}`),
    onSettled: (_r, _e, input) => invalidateAfterAction(client, { syncJobId: input.jobId, ...input }),
  });
}
