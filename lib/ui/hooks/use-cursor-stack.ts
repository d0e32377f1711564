"use client";

import { useCallback, useState } from "react";

/**
 * The cursors of the pages walked so far, for one filter. A new filter starts again at page one:
 * the stack remembers which filter it belongs to and reads as empty for any other, so the reset
 * happens in the same render as the filter change (no effect, no frame showing a stale page).
 */
export function useCursorStack(filterKey: string): [string[], (update: (c: string[]) => string[]) => void] {
  const [stack, setStack] = useState<{ key: string; cursors: string[] }>({ key: filterKey, cursors: [] });
  const cursors = stack.key === filterKey ? stack.cursors : [];
  const setCursors = useCallback(
    (update: (c: string[]) => string[]) => setStack((s) => ({ key: filterKey, cursors: update(s.key === filterKey ? s.cursors : []) })),
    [filterKey],
  );
  return [cursors, setCursors];
}
