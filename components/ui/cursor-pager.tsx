import { Button } from "@/components/ui/button";
import { formatNumber } from "@/lib/ui/format";

/**
 * The footer of a keyset-paged list: "41–60 of 1,234" and buttons that walk a stack of cursors
 * (the stack holds the cursor of every page before the current one).
 */
export function CursorPager({
  cursors,
  setCursors,
  nextCursor,
  pageSize,
  shown,
  totalCount,
  labels,
  showFirst = false,
}: {
  cursors: string[];
  setCursors: (update: (c: string[]) => string[]) => void;
  nextCursor: string | null | undefined;
  pageSize: number;
  shown: number;
  totalCount: number;
  labels: { previous: string; next: string };
  showFirst?: boolean;
}) {
  const from = cursors.length * pageSize;
  return (
    <div className="flex items-center justify-between border-t border-zinc-200 px-4 py-2 text-xs text-zinc-600">
      <span>
        {formatNumber(from + 1)}–{formatNumber(from + shown)} of {formatNumber(totalCount)}
      </span>
      <div className="flex gap-1.5">
        {showFirst && (
          <Button size="xs" disabled={!cursors.length} onClick={() => setCursors(() => [])}>
            First
          </Button>
        )}
        <Button size="xs" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {labels.previous}
        </Button>
        <Button size="xs" disabled={!nextCursor} onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}>
          {labels.next}
        </Button>
      </div>
    </div>
  );
}
