"use client";

import { useState } from "react";
import { useHydrated } from "@/lib/ui/use-hydrated";
import { toast } from "sonner";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorState } from "@/components/ui/states";
import { describeCron } from "@/lib/scheduler/next-run";
import { ApiClientError, errorMessage } from "@/lib/ui/api-client";
import { DEFAULT_PRESET, cronForPreset } from "./presets";
import { NextRunsPreview } from "./next-runs-preview";
import { ScheduleEvents } from "./schedule-events";
import { type FieldErrors, ScheduleForm } from "./schedule-form";
import { ScheduleStatus } from "./schedule-status";
import { type ScheduleDraft, type ScheduleViewT, useRemoveSchedule, useSaveSchedule, useSchedule } from "./use-schedule";
import { browserTimeZone, formatInZone } from "./zone-format";

/**
 * A sync's schedule on the sync page: status, editor (admins) or read-only summary (support),
 * and the recent fired/skipped slots.
 */
export function ScheduleEditor({ syncId, canEdit, hasSchedule }: { syncId: string; canEdit: boolean; hasSchedule?: boolean }) {
  const schedule = useSchedule(syncId, hasSchedule);
  const save = useSaveSchedule(syncId);
  const remove = useRemoveSchedule(syncId);
  const [confirmRemove, setConfirmRemove] = useState(false);
  // The form defaults to the browser's zone and lists the browser's zones: render it in the browser only.
  const hydrated = useHydrated();

  const onSave = async (draft: ScheduleDraft): Promise<FieldErrors | null> => {
    try {
      const view = await save.mutateAsync(draft);
      toast.success(
        view?.enabled && view.nextRunAt
          ? `Schedule saved. Next run ${formatInZone(view.nextRunAt, view.timezone)}`
          : "Schedule saved (paused)",
      );
      return null;
    } catch (e) {
      toast.error(`Could not save the schedule: ${errorMessage(e)}`);
      const field = e instanceof ApiClientError ? e.details.field : undefined;
      return field === "cron" || field === "timezone" ? { [field]: e instanceof Error ? e.message : String(e) } : null;
    }
  };

  const onRemove = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        setConfirmRemove(false);
        toast.success("Schedule removed. The sync now runs only when started.");
      },
      onError: (e) => toast.error(`Could not remove the schedule: ${errorMessage(e)}`),
    });

  return (
    <section aria-labelledby="schedule-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4">
      <h2 id="schedule-heading" className="text-base font-semibold text-zinc-900">
        Schedule
      </h2>
      {schedule.isPending ? (
        <div role="status" aria-label="Loading schedule" className="space-y-2">
          <Skeleton className="h-4 w-48" />
          <Skeleton className="h-4 w-72" />
          <Skeleton className="h-24 w-full" />
        </div>
      ) : schedule.isError ? (
        <ErrorState title="Could not load the schedule" error={schedule.error} onRetry={() => void schedule.refetch()} />
      ) : (
        <>
          <ScheduleStatus view={schedule.data} />
          {/* Until the page is interactive an editor could not be used anyway: show what is saved meanwhile. */}
          {canEdit && hydrated ? (
            <ScheduleForm
              key={formKey(schedule.data)}
              initial={draftOf(schedule.data)}
              exists={!!schedule.data}
              saving={save.isPending}
              onSave={onSave}
              onRemove={schedule.data ? () => setConfirmRemove(true) : undefined}
            />
          ) : (
            schedule.data && <ReadOnlySchedule view={schedule.data} />
          )}
          {schedule.data && <ScheduleEvents view={schedule.data} />}
        </>
      )}
      <ConfirmDialog
        open={confirmRemove}
        title="Remove this schedule?"
        description="The sync will no longer run on its own. Runs already queued are not affected."
        confirmLabel="Remove schedule"
        tone="danger"
        pending={remove.isPending}
        onConfirm={onRemove}
        onClose={() => setConfirmRemove(false)}
      />
    </section>
  );
}

/** The form starts over whenever the saved schedule changes (after a save, or someone else's). */
const formKey = (view: ScheduleViewT | null) => (view ? `${view.cron}|${view.timezone}|${view.enabled}` : "new");

const draftOf = (view: ScheduleViewT | null): ScheduleDraft =>
  view
    ? { cron: view.cron, timezone: view.timezone, enabled: view.enabled }
    : { cron: cronForPreset(DEFAULT_PRESET) ?? "0 2 * * *", timezone: browserTimeZone(), enabled: true };

function ReadOnlySchedule({ view }: { view: ScheduleViewT }) {
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-zinc-500">Runs</dt>
        <dd className="text-zinc-900">{describeCron(view.cron) ?? view.cron}</dd>
        <dt className="text-zinc-500">Cron</dt>
        <dd>
          <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-xs">{view.cron}</code>
        </dd>
        <dt className="text-zinc-500">Time zone</dt>
        <dd className="text-zinc-900">{view.timezone}</dd>
      </dl>
      <NextRunsPreview cron={view.cron} timezone={view.timezone} enabled={view.enabled} />
    </div>
  );
}
