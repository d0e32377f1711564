"use client";

import { createContext, type ReactNode, useContext, useSyncExternalStore } from "react";

const ServerNow = createContext<number>(0);

let clientNow = typeof window === "undefined" ? 0 : Date.now();
const subscribers = new Set<() => void>();
let ticker: ReturnType<typeof setInterval> | null = null;

function subscribe(fn: () => void): () => void {
  subscribers.add(fn);
  if (!ticker) {
    clientNow = Date.now();
    ticker = setInterval(() => {
      clientNow = Date.now();
      for (const s of subscribers) s();
    }, 1_000);
  }
  return () => {
    subscribers.delete(fn);
    if (!subscribers.size && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  };
}
const noSubscription = () => () => {};

/** The server's render time, so server and client render the same relative times before the clock ticks. */
export function NowProvider({ serverNow, children }: { serverNow: number; children: ReactNode }) {
  return <ServerNow.Provider value={serverNow}>{children}</ServerNow.Provider>;
}

/**
 * A one-second clock for relative times and running durations. Pass `false` when nothing on
 * screen moves (a finished job): the component then stops re-rendering every second.
 */
export function useNow(ticking = true): number {
  const serverNow = useContext(ServerNow);
  return useSyncExternalStore(
    ticking ? subscribe : noSubscription,
    () => clientNow || serverNow,
    () => serverNow || clientNow,
  );
}
