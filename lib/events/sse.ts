import { log } from "@/lib/runtime/log";
import { eventHub, type HubEvent } from "./hub";

export const PING_INTERVAL_MS = 15_000;
const encoder = new TextEncoder();

/**
 * A stream about something that ends (one job): `isLast` picks the event after which nothing more
 * will come, and `ended` says whether that has happened already (read after subscribing, so an end
 * in between is not missed) and with which event. Either way the stream then sends `event: end`
 * and closes instead of pinging for good.
 */
export type StreamEnd = { isLast: (event: HubEvent) => boolean; ended: () => Promise<HubEvent | null> };

/**
 * A Server-Sent Events response carrying the hub's events that pass `filter`, for as long as the
 * caller may read them: `watchAccess` (the route's) ends the stream with an `unauthorized` event
 * once its key is revoked or its session ends (EventSource then reconnects and gets the 401).
 * The subscription is made before the response exists, so a database that cannot LISTEN is an
 * ordinary 500 rather than a stream that dies at once. `: ping` comments every 15 s keep proxies
 * from closing an idle stream; everything is released when the client goes away (request
 * aborted or stream canceled, whichever the runtime reports first).
 */
export async function eventStream(
  signal: AbortSignal,
  filter: (event: HubEvent) => boolean,
  watchAccess: (onLost: () => void) => () => void,
  end?: StreamEnd,
): Promise<Response> {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  let closed = false;
  let ping: ReturnType<typeof setInterval> | undefined;
  let stopWatching = () => {};

  const send = (text: string) => {
    if (closed || !controller) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      cleanup();
    }
  };
  const finish = (last: HubEvent) => {
    send(`data: ${JSON.stringify(last)}\n\nevent: end\ndata: {}\n\n`);
    cleanup();
  };
  const unsubscribe = await eventHub().subscribe((event) => {
    if (event.kind !== "resync" && !filter(event)) return;
    if (end?.isLast(event)) finish(event);
    else send(`data: ${JSON.stringify(event)}\n\n`);
  });
  function cleanup() {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    stopWatching();
    unsubscribe();
    signal.removeEventListener("abort", cleanup);
    try {
      controller?.close();
    } catch {
      /* already closed by the runtime */
    }
    log.debug("event stream closed", { subscribers: eventHub().size });
  }

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      // `retry` tells EventSource how soon to reconnect; `ready` tells the page it is subscribed.
      send(`retry: 2000\nevent: ready\ndata: {}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
  ping = setInterval(() => send(": ping\n\n"), PING_INTERVAL_MS);
  stopWatching = watchAccess(() => {
    send(`event: unauthorized\ndata: {}\n\n`);
    log.info("event stream closed: its credential no longer grants it");
    cleanup();
  });
  if (signal.aborted) cleanup();
  else signal.addEventListener("abort", cleanup);
  const last = end && !closed ? await end.ended().catch(() => null) : null;
  if (last) finish(last);
  log.debug("event stream opened", { subscribers: eventHub().size });

  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform keeps compression middleware from buffering the stream.
      "cache-control": "no-cache, no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
