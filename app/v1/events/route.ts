import { parseQuery, route } from "@/lib/api/handler";
import { EventsQuery } from "@/lib/contracts/events";
import { eventStream } from "@/lib/events/sse";

export const dynamic = "force-dynamic";

/** Live job events for the dashboard: every job of an integration (or of one sync, or all). */
export const GET = route({ scope: "sync:read" }, async ({ req, watchAccess }) => {
  const { integrationId, syncId } = parseQuery(req, EventsQuery);
  return eventStream(
    req.signal,
    (e) => e.kind !== "resync" && (!integrationId || e.integrationId === integrationId) && (!syncId || e.syncId === syncId),
    watchAccess,
  );
});
