"use client";

import { formatDateTime, formatRelative } from "@/lib/ui/format";
import { useNow } from "@/lib/ui/now";

/** "3 minutes ago", with the exact time on hover and for assistive tech. */
export function RelativeTime({ iso, fallback = "—" }: { iso: string | undefined | null; fallback?: string }) {
  const now = useNow();
  if (!iso) return <span className="text-zinc-500">{fallback}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} suppressHydrationWarning>
      {formatRelative(iso, now)}
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
