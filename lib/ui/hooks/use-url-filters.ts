"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * Filters that live in the URL (shareable, survive reload, back/forward work). Updates replace
 * the URL without a navigation to the server or a scroll jump.
 */
export function useUrlFilters<K extends string>(
  keys: readonly K[],
): [Record<K, string | undefined>, (patch: Partial<Record<K, string | undefined>>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const keyList = keys.join(",");
  const values = useMemo(
    () => Object.fromEntries(keyList.split(",").map((k) => [k, params.get(k) || undefined])) as Record<K, string | undefined>,
    [params, keyList],
  );
  const set = useCallback(
    (patch: Partial<Record<K, string | undefined>>) => {
      const sp = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
        if (v) sp.set(k, v);
        else sp.delete(k);
      }
      const q = sp.toString();
      router.replace(`${pathname}${q ? `?${q}` : ""}`, { scroll: false });
    },
    [router, pathname],
  );
  return [values, set];
}
