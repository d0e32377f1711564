"use client";

import { formatDateTime, formatRelative } from "@/lib/ui/format";
import { useNow } from "@/lib/ui/now";

/**
 * "3 minutes ago", with the exact time on hover and for assistive tech. `past` for an event that has
 * happened: a moment ahead of the browser's clock reads "just now" (see formatRelative).
 */
export function RelativeTime({ iso, fallback = "—", past = false }: { iso: string | undefined | null; fallback?: string; past?: boolean }) {
  const now = useNow();
  if (!iso) return <span className="text-zinc-500">{fallback}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} suppressHydrationWarning>
      {formatRelative(iso, now, { past })}
    </time>
  );
}

export function DateTime({ iso, fallback = "—" }: { iso: string | undefined | null; fallback?: string }) {
  if (!iso) return <span className="text-zinc-500">{fallback}</span>;
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {formatDateTime(iso)}
    </time>
  );
}
