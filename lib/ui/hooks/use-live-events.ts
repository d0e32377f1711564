"use client";

import { useEffect, useRef } from "react";
import { setLiveStatus } from "@/lib/ui/live-state";
import { type LiveEvent, useJobInvalidation } from "./use-job-invalidation";

/**
 * Subscribes the page to an SSE stream (`/v1/events?…` or `/v1/syncJobs/{id}/events`) and turns
 * every event into query invalidations. When the stream opens (first time or after a drop) the
 * page's data is refreshed once, covering events missed in between. While it is down, queries
 * fall back to polling (see useActivePollInterval) and we reconnect with backoff.
 */
export function useLiveEvents(url: string | null): void {
  const { onEvent, invalidateAll } = useJobInvalidation();
  const handlers = useRef({ onEvent, invalidateAll });
  // The stream outlives renders; it always calls the latest handlers, updated after each commit.
  useEffect(() => {
    handlers.current = { onEvent, invalidateAll };
  });

  useEffect(() => {
    if (!url || typeof EventSource === "undefined") {
      setLiveStatus("polling");
      return;
    }
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempts = 0;
    let disposed = false;

    const connect = () => {
      source = new EventSource(url, { withCredentials: true });
      source.addEventListener("ready", () => {
        attempts = 0;
        setLiveStatus("live");
        // Data rendered before the subscription may predate it (a job can end in between): refresh
        // once on every open, so nothing missed stays on screen.
        handlers.current.invalidateAll();
      });
      // The session ended (signed out elsewhere, user removed): the refresh meets the 401 and goes to sign-in.
      source.addEventListener("unauthorized", () => handlers.current.invalidateAll());
      // A job's stream ends with the job: nothing more will change, so it is not reopened.
      source.addEventListener("end", () => {
        source?.close();
        setLiveStatus("idle");
      });
      source.onmessage = (m) => {
        try {
          handlers.current.onEvent(JSON.parse(m.data) as LiveEvent);
        } catch {
          /* a malformed frame is ignored; polling covers it */
        }
      };
      source.onerror = () => {
        setLiveStatus("polling");
        // CONNECTING means the browser retries by itself; CLOSED (an HTTP error) means we must.
        if (source?.readyState === EventSource.CLOSED && !disposed) {
          source.close();
          const delay = Math.min(30_000, 1_000 * 2 ** attempts++);
          retry = setTimeout(connect, delay);
        }
      };
    };
    setLiveStatus("connecting");
    connect();
    return () => {
      disposed = true;
      if (retry) clearTimeout(retry);
      source?.close();
      setLiveStatus("idle");
    };
  }, [url]);
}
