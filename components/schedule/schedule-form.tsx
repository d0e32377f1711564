"use client";

import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { TimeOfDayInput } from "@/components/ui/time-of-day-input";
import { describeCron, normalizeCron, validateCron, validateTimezone } from "@/lib/scheduler/next-run";
import { NextRunsPreview } from "./next-runs-preview";
import { cronForPreset, type Preset, PRESETS, presetFromCron, WEEKDAYS } from "./presets";
import { TimezonePicker } from "./timezone-picker";
import type { ScheduleDraft } from "./use-schedule";

export type FieldErrors = Partial<Record<"cron" | "timezone", string>>;

const inputClass = "h-8 rounded-md border border-zinc-300 bg-white px-2.5 text-sm focus:border-zinc-500 focus:outline-none";

/**
 * The editable schedule: presets, free cron with a live description and inline validation, zone,
 * next-runs preview, enable switch. `onSave` returns the API's field errors to show inline.
 */
export function ScheduleForm({
  initial,
  exists,
  saving,
  onSave,
  onRemove,
}: {
  initial: ScheduleDraft;
  exists: boolean;
  saving: boolean;
  onSave: (draft: ScheduleDraft) => Promise<FieldErrors | null>;
  onRemove?: () => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState(initial);
  const [preset, setPreset] = useState<Preset>(() => presetFromCron(initial.cron));
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});

  const cronCheck = validateCron(draft.cron);
  const zoneCheck = validateTimezone(draft.timezone);
  const cronError = serverErrors.cron ?? (cronCheck.ok ? undefined : cronCheck.message);
  const zoneError = serverErrors.timezone ?? (zoneCheck.ok ? undefined : zoneCheck.message);
  const description = cronCheck.ok ? describeCron(draft.cron) : null;
  const dirty =
    !exists ||
    normalizeCron(draft.cron) !== normalizeCron(initial.cron) ||
    draft.timezone !== initial.timezone ||
    draft.enabled !== initial.enabled;
  const valid = !cronError && !zoneError;

  const setCron = (cron: string) => {
    setDraft((d) => ({ ...d, cron }));
    setPreset((p) => presetFromCron(cron, p));
    setServerErrors((e) => ({ ...e, cron: undefined }));
  };
  const choosePreset = (next: Preset) => {
    setPreset(next);
    const cron = cronForPreset(next);
    if (cron) {
      setDraft((d) => ({ ...d, cron }));
      setServerErrors((e) => ({ ...e, cron: undefined }));
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid || saving) return;
    const errors = await onSave({ ...draft, cron: normalizeCron(draft.cron) });
    if (errors) setServerErrors(errors);
  };

  return (
    <form onSubmit={submit} className="space-y-5" aria-label="Schedule editor" noValidate>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800">Repeat</legend>
        <div className="flex flex-wrap gap-1.5">
          {PRESETS.map((p) => (
            <label
              key={p.kind}
              className={cn(
                "cursor-pointer rounded-md border px-2.5 py-1 text-[13px] has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-zinc-400",
                preset.kind === p.kind
                  ? "border-zinc-900 bg-zinc-900 text-white"
                  : "border-zinc-300 bg-white text-zinc-800 hover:border-zinc-400",
              )}
            >
              <input
                type="radio"
                name={`${id}-preset`}
                value={p.kind}
                checked={preset.kind === p.kind}
                onChange={() => choosePreset({ ...preset, kind: p.kind })}
                className="sr-only"
              />
              {p.label}
            </label>
          ))}
        </div>
        {(preset.kind === "daily" || preset.kind === "weekly") && (
          <div className="flex flex-wrap items-end gap-3">
            {preset.kind === "weekly" && (
              <div className="flex flex-col gap-1 text-xs text-zinc-600">
                <label htmlFor={`${id}-weekday`}>Day</label>
                <select
                  id={`${id}-weekday`}
                  value={preset.weekday}
                  onChange={(e) => choosePreset({ ...preset, weekday: Number(e.target.value) })}
                  className={inputClass}
                >
                  {WEEKDAYS.map((day, i) => (
                    <option key={day} value={i}>
                      {day}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="flex flex-col gap-1 text-xs text-zinc-600">
              <label htmlFor={`${id}-time`}>At</label>
              <TimeOfDayInput
                id={`${id}-time`}
                value={preset.time}
                onChange={(time) => choosePreset({ ...preset, time })}
                className={inputClass}
              />
            </div>
          </div>
        )}
      </fieldset>

      <div className="space-y-1.5">
        <label htmlFor={`${id}-cron`} className="text-sm font-medium text-zinc-800">
          Cron expression
        </label>
        <input
          id={`${id}-cron`}
          value={draft.cron}
          onChange={(e) => setCron(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={cronError ? true : undefined}
          aria-describedby={`${id}-cron-help`}
          className={cn(inputClass, "w-full font-mono", cronError && "border-red-400 focus:border-red-500")}
        />
        <div id={`${id}-cron-help`} aria-live="polite">
          {cronError ? (
            <p className="text-xs text-red-700">{cronError}</p>
          ) : (
            <p className="text-sm text-zinc-700" data-testid="cron-description">
              {description ?? "A valid expression."}
            </p>
          )}
          <p className="text-xs text-zinc-500">minute hour day-of-month month weekday — or six fields with seconds first.</p>
        </div>
      </div>

      <TimezonePicker
        value={draft.timezone}
        error={zoneError}
        onChange={(timezone) => {
          setDraft((d) => ({ ...d, timezone }));
          setServerErrors((e) => ({ ...e, timezone: undefined }));
        }}
      />

      <div className="flex items-center gap-3">
        <button
          type="button"
          role="switch"
          aria-checked={draft.enabled}
          aria-label="Run on this schedule"
          aria-describedby={`${id}-enabled`}
          onClick={() => setDraft((d) => ({ ...d, enabled: !d.enabled }))}
          className={cn(
            "relative h-5 w-9 shrink-0 rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-zinc-400",
            draft.enabled ? "bg-emerald-600" : "bg-zinc-300",
          )}
        >
          <span
            className={cn(
              "absolute top-0.5 size-4 rounded-full bg-white shadow transition-all",
              draft.enabled ? "left-[18px]" : "left-0.5",
            )}
          />
        </button>
        <span id={`${id}-enabled`} className="text-sm text-zinc-800">
          {draft.enabled ? "Enabled: runs on this schedule" : "Paused: no scheduled runs"}
        </span>
      </div>

      {cronCheck.ok && zoneCheck.ok && <NextRunsPreview cron={cronCheck.value} timezone={zoneCheck.value} enabled={draft.enabled} />}

      <div className="flex flex-wrap items-center gap-2 border-t border-zinc-100 pt-4">
        <Button type="submit" variant="primary" pending={saving} disabled={!valid || !dirty}>
          {exists ? "Save schedule" : "Create schedule"}
        </Button>
        {exists && dirty && (
          <Button
            variant="ghost"
            onClick={() => {
              setDraft(initial);
              setPreset(presetFromCron(initial.cron));
              setServerErrors({});
            }}
          >
            Discard changes
          </Button>
        )}
        {exists && dirty && <span className="text-xs text-amber-700">Unsaved changes</span>}
        {onRemove && (
          <Button variant="danger" className="ml-auto" onClick={onRemove}>
            Remove schedule
          </Button>
        )}
      </div>
    </form>
  );
}
