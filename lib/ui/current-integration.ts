"use client";

import { useEffect, useSyncExternalStore } from "react";

/** Which integration the page on screen belongs to, so the header switcher can highlight it. */
let current: string | null = null;
const subs = new Set<() => void>();
const subscribe = (fn: () => void) => (subs.add(fn), () => void subs.delete(fn));

export function useMarkCurrentIntegration(id: string | undefined): void {
  useEffect(() => {
    if (!id || id === current) return;
    current = id;
    for (const fn of subs) fn();
  }, [id]);
}

export const useCurrentIntegration = (): string | null =>
  useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
