"use client";

import { NextRunsPreview } from "@/components/schedule/next-runs-preview";
import { cronForPreset, type Preset, PRESETS, presetFromCron } from "@/components/schedule/presets";
import { TimezonePicker } from "@/components/schedule/timezone-picker";
import { cn } from "@/components/ui/cn";
import { describeCron, validateCron, validateTimezone } from "@/lib/scheduler/next-run";

export type ScheduleChoice = { on: boolean; cron: string; timezone: string; preset: Preset };

/**
 * An optional schedule for the new sync, from the schedule editor's own parts (presets, zone
 * picker, next-runs preview) so what is previewed here is what the scheduler will fire.
 */
export function ScheduleStep({
  value,
  onChange,
  errors,
}: {
  value: ScheduleChoice;
  onChange: (v: ScheduleChoice) => void;
  errors: { cron?: string; timezone?: string };
}) {
  const cronCheck = validateCron(value.cron);
  const zoneCheck = validateTimezone(value.timezone);
  const cronError = errors.cron ?? (cronCheck.ok ? undefined : cronCheck.message);
  const choose = (preset: Preset) => onChange({ ...value, preset, cron: cronForPreset(preset) ?? value.cron });
  return (
    <div className="space-y-4">
      <label className="flex items-center gap-2 text-[13px] font-medium text-zinc-900">
        <input type="checkbox" className="size-4" checked={value.on} onChange={(e) => onChange({ ...value, on: e.target.checked })} />
        Run this sync on a schedule
      </label>
      {!value.on ? (
        <p className="text-[13px] text-zinc-600">
          Without a schedule the sync runs when someone clicks Run or calls the API. You can add one later on the sync&rsquo;s page.
        </p>
      ) : (
        <>
          <fieldset>
            <legend className="text-[13px] font-medium text-zinc-800">Repeat</legend>
            <div className="mt-1 flex flex-wrap gap-1.5">
              {PRESETS.map((p) => (
                <label
                  key={p.kind}
                  className={cn(
                    "cursor-pointer rounded-md border px-2.5 py-1 text-[13px] has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-zinc-400",
                    value.preset.kind === p.kind ? "border-zinc-900 bg-zinc-900 text-white" : "border-zinc-300 bg-white text-zinc-800",
                  )}
                >
                  <input
                    type="radio"
                    name="wizard-preset"
                    className="sr-only"
                    checked={value.preset.kind === p.kind}
                    onChange={() => choose({ ...value.preset, kind: p.kind })}
                  />
                  {p.label}
                </label>
              ))}
            </div>
            {(value.preset.kind === "daily" || value.preset.kind === "weekly") && (
              <div className="mt-2">
                <label htmlFor="wizard-time" className="text-xs text-zinc-700">
                  At
                </label>
                <input
                  id="wizard-time"
                  type="time"
                  value={value.preset.time}
                  onChange={(e) => choose({ ...value.preset, time: e.target.value })}
                  className="ml-2 h-8 rounded-md border border-zinc-300 px-2 text-sm tabular-nums"
                />
              </div>
            )}
          </fieldset>
          <div>
            <label htmlFor="wizard-cron" className="text-[13px] font-medium text-zinc-800">
              Cron expression
            </label>
            <input
              id="wizard-cron"
              value={value.cron}
              onChange={(e) => onChange({ ...value, cron: e.target.value, preset: presetFromCron(e.target.value, value.preset) })}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={cronError ? true : undefined}
              aria-describedby="wizard-cron-help"
              className={cn(
                "mt-1 block h-8 w-full rounded-md border border-zinc-300 px-2.5 font-mono text-sm",
                cronError && "border-red-400",
              )}
            />
            <p id="wizard-cron-help" className={cn("mt-1 text-xs", cronError ? "text-red-700" : "text-zinc-700")} aria-live="polite">
              {cronError ?? describeCron(value.cron)}
            </p>
          </div>
          <TimezonePicker
            value={value.timezone}
            onChange={(timezone) => onChange({ ...value, timezone })}
            error={errors.timezone ?? (zoneCheck.ok ? undefined : zoneCheck.message)}
          />
          {cronCheck.ok && zoneCheck.ok && <NextRunsPreview cron={cronCheck.value} timezone={zoneCheck.value} enabled />}
        </>
      )}
    </div>
  );
}
