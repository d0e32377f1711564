import { getDb } from "@/db/client";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { syncCreateBody, syncListQuery } from "@/lib/contracts/management";
import { actorFromPrincipal } from "@/lib/audit";
import { createSync } from "@/lib/syncs/create";
import { getSyncView, listSyncViews } from "@/lib/syncs/service";

export const GET = route({ scope: "sync:read" }, async ({ req }) => {
  const { _integrationId, ...pageParams } = parseQuery(req, syncListQuery);
  return json(await listSyncViews(getDb(), { integrationId: _integrationId, ...pageParams }));
});

export const POST = route({ scope: "admin" }, async ({ req, principal }) => {
  const db = getDb();
  const sync = await createSync(db, await parseBody(req, syncCreateBody), actorFromPrincipal(principal));
  return json(await getSyncView(db, sync.id), { status: 201 });
});
