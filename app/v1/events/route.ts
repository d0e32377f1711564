import { z } from "zod";
import { parseQuery, route } from "@/lib/api/handler";
import { eventStream } from "@/lib/events/sse";

export const dynamic = "force-dynamic";

const EventsQuery = z.object({
  integrationId: z.string().regex(/^[0-9a-f]{24}$/i, "must be a 24-hex id").optional(),
  syncId: z.string().regex(/^[0-9a-f]{24}$/i, "must be a 24-hex id").optional(),
});

/** Live job events for the dashboard: every job of an integration (or of one sync, or all). */
export const GET = route({ scope: "sync:read" }, async ({ req }) => {
  const { integrationId, syncId } = parseQuery(req, EventsQuery);
  return eventStream(req.signal, (e) =>
    e.kind !== "resync" && (!integrationId || e.integrationId === integrationId) && (!syncId || e.syncId === syncId),
  );
});
