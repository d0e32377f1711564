"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useCancelJob, useRunSync } from "@/lib/ui/hooks/use-job-actions";
import { useCanWrite } from "@/lib/ui/session";
import { isActive, type JobStatusT } from "@/lib/ui/types";

export type ActionSync = { _id: string; name: string; _integrationId: string; disabled: boolean };

/**
 * Run / Full resync / Cancel for one sync. While a job is active only Cancel shows; a canceling
 * job shows a disabled "Canceling…" so the click visibly took. Support users get nothing.
 */
export function JobActions({
  sync,
  activeJob,
  size = "xs",
  showLabels = "full",
}: {
  sync: ActionSync;
  activeJob?: { _id: string; status: JobStatusT };
  size?: "xs" | "sm";
  showLabels?: "full" | "short";
}) {
  const canWrite = useCanWrite();
  const run = useRunSync();
  const cancel = useCancelJob();
  const [confirmResync, setConfirmResync] = useState(false);
  if (!canWrite) return null;

  const active = activeJob && isActive(activeJob.status) ? activeJob : undefined;
  const base = { syncId: sync._id, integrationId: sync._integrationId, syncName: sync.name };
  const disabledReason = sync.disabled ? "This sync is disabled" : undefined;

  if (active) {
    const canceling = active.status === "canceling" || (cancel.isPending && cancel.variables?.jobId === active._id);
    return (
      <div className="flex items-center justify-end gap-1.5">
        <Button
          size={size}
          variant="danger"
          pending={canceling}
          aria-label={`Cancel the running job of ${sync.name}`}
          onClick={() => cancel.mutate({ jobId: active._id, syncId: sync._id, integrationId: sync._integrationId })}
        >
          {canceling ? "Canceling…" : "Cancel"}
        </Button>
      </div>
    );
  }

  const runPending = run.isPending && run.variables?.runType === "normal";
  const resyncPending = run.isPending && run.variables?.runType === "resync";
  return (
    <div className="flex items-center justify-end gap-1.5">
      <Button
        size={size}
        variant="primary"
        pending={runPending}
        disabled={!!disabledReason || run.isPending}
        title={disabledReason ?? "Run a normal (delta) sync now"}
        aria-label={`Run ${sync.name}`}
        onClick={() => run.mutate({ ...base, runType: "normal" })}
      >
        Run
      </Button>
      <Button
        size={size}
        pending={resyncPending}
        disabled={!!disabledReason || run.isPending}
        title={disabledReason ?? "Re-extract every table from scratch"}
        aria-label={`Full resync of ${sync.name}`}
        onClick={() => setConfirmResync(true)}
      >
        {showLabels === "full" ? "Full resync" : "Resync"}
      </Button>
      <ConfirmDialog
        open={confirmResync}
        title={`Full resync of ${sync.name}?`}
        description={
          <>
            Every table is re-extracted from the source, ignoring checkpoints, into a shadow table that replaces the warehouse table when it
            completes. Rows deleted at the source disappear. This takes longer than a normal run.
          </>
        }
        confirmLabel="Start full resync"
        pending={resyncPending}
        onClose={() => setConfirmResync(false)}
        onConfirm={() => run.mutate({ ...base, runType: "resync" }, { onSettled: () => setConfirmResync(false) })}
      />
    </div>
  );
}
