import { eventHub, type HubEvent } from "./hub";

export const PING_INTERVAL_MS = 15_000;
const encoder = new TextEncoder();

/**
 * A Server-Sent Events response carrying the hub's events that pass `filter`.
 * `: ping` comments every 15 s keep proxies from closing an idle stream; the subscription is
 * dropped when the client goes away (request aborted or stream canceled), whichever comes first.
 */
export async function eventStream(signal: AbortSignal, filter: (event: HubEvent) => boolean): Promise<Response> {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = await eventHub().subscribe((event) => {
        if (event.kind === "resync" || filter(event)) send(`data: ${JSON.stringify(event)}\n\n`);
      });
      const ping = setInterval(() => send(": ping\n\n"), PING_INTERVAL_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(ping);
        unsubscribe();
        signal.removeEventListener("abort", cleanup);
        try {
          controller.close();
        } catch {
          /* already closed by the runtime */
        }
      };
      if (signal.aborted) return cleanup();
      signal.addEventListener("abort", cleanup);
      // Tells EventSource how soon to reconnect, and the client that the subscription is live.
      send(`retry: 2000\nevent: ready\ndata: {}\n\n`);
    },
    cancel() {
      cleanup();
    },
  });
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
