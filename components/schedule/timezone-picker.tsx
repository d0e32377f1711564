"use client";

import { memo, useDeferredValue, useId, useMemo, useState } from "react";
import { cn } from "@/components/ui/cn";
import { timeZoneNames } from "@/lib/scheduler/next-run";
import { browserTimeZone, zoneOffset } from "./zone-format";

/** Loose match: "new york" finds America/New_York, "berlin" finds Europe/Berlin. */
const matches = (zone: string, query: string) =>
  zone.toLowerCase().replace(/_/g, " ").includes(query.trim().toLowerCase().replace(/_/g, " "));

/**
 * A searchable list of every IANA zone the browser knows (Intl.supportedValuesOf), with each
 * zone's current UTC offset. The chosen zone stays listed whatever the search says.
 */
export function TimezonePicker({
  value,
  onChange,
  error,
  disabled,
}: {
  value: string;
  onChange: (zone: string) => void;
  error?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const zones = useMemo(() => timeZoneNames(), []);
  const shown = useMemo(() => {
    const hits = query ? zones.filter((z) => matches(z, query)) : zones;
    return hits.includes(value) ? hits : [value, ...hits];
  }, [zones, query, value]);
  const mine = browserTimeZone();
  // Each offset costs an Intl.DateTimeFormat of its own: some 400 of them held the sync page's main thread
  // for 0.3-1 s in one task right after it hydrated. The list renders without them first; the labels follow
  // in a deferred render, which React can interrupt between options.
  const withOffsets = useDeferredValue(true, false);

  return (
    <div className="space-y-1.5">
      <div className="flex items-center justify-between gap-2">
        <label htmlFor={`${id}-zone`} className="text-sm font-medium text-zinc-800">
          Time zone
        </label>
        {mine !== value && !disabled && (
          <button type="button" className="text-xs text-zinc-600 underline hover:text-zinc-900" onClick={() => onChange(mine)}>
            Use mine ({mine})
          </button>
        )}
      </div>
      <input
        type="search"
        aria-label="Search time zones"
        placeholder="Search, e.g. new york"
        value={query}
        disabled={disabled}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          // Enter picks the first match, so typing a city and pressing Enter is enough.
          const first = shown.find((z) => z !== value || shown.length === 1);
          if (e.key === "Enter" && query && first) {
            e.preventDefault();
            onChange(first);
          }
        }}
        className="h-8 w-full rounded-md border border-zinc-300 bg-white px-2.5 text-sm placeholder:text-zinc-400 focus:border-zinc-500 focus:outline-none"
      />
      <select
        id={`${id}-zone`}
        size={6}
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
        className={cn(
          "w-full rounded-md border bg-white text-sm focus:outline-none",
          error ? "border-red-400" : "border-zinc-300 focus:border-zinc-500",
        )}
      >
        {shown.map((zone) => (
          <ZoneOption key={zone} zone={zone} withOffset={withOffsets} />
        ))}
      </select>
      {query && shown.length === 1 && shown[0] === value && !matches(value, query) && (
        <p className="text-xs text-zinc-500">No zone matches “{query}”.</p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

const ZoneOption = memo(function ZoneOption({ zone, withOffset }: { zone: string; withOffset: boolean }) {
  const offset = withOffset ? zoneOffset(zone) : "";
  return (
    <option value={zone} className="px-2 py-0.5">
      {zone.replace(/_/g, " ")} {offset && `(${offset})`}
    </option>
  );
});
