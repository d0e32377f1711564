"use client";

import { useLiveStatus } from "@/lib/ui/live-state";
import { cn } from "@/components/ui/cn";

const text = {
  live: { label: "Live", title: "Receiving live updates", dot: "bg-emerald-500" },
  connecting: { label: "Connecting", title: "Connecting to live updates", dot: "bg-zinc-400" },
  polling: { label: "Polling", title: "Live updates unavailable; refreshing every few seconds", dot: "bg-amber-500" },
};

export function LiveIndicator() {
  const status = useLiveStatus();
  if (status === "idle") return null;
  const t = text[status];
  return (
    <span className="hidden items-center gap-1.5 text-xs text-zinc-600 sm:inline-flex" title={t.title} data-live={status}>
      {/* A steady dot: one pulsing for as long as the page is open makes the browser draw a new frame 60 times a second. */}
      <span className={cn("size-2 rounded-full", t.dot)} aria-hidden />
      {t.label}
    </span>
  );
}
