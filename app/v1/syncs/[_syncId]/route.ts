import { getDb } from "@/db/client";
import { json, noContent, parseBody, parseQuery, route } from "@/lib/api/handler";
import { actorFromPrincipal } from "@/lib/audit";
import { deleteSyncQuery, syncPatchBody } from "@/lib/contracts/management";
import { dropSyncReplication } from "@/lib/engine/sources/cdc/cleanup";
import { deleteSync, getSyncView, patchSync } from "@/lib/syncs/service";

type Params = { _syncId: string };

export const GET = route<Params>({ scope: "sync:read" }, async ({ params }) => json(await getSyncView(getDb(), params._syncId)));

export const PATCH = route<Params>({ scope: "admin" }, async ({ req, params, principal }) => {
  const body = await parseBody(req, syncPatchBody);
  return json(await patchSync(getDb(), params._syncId, body, actorFromPrincipal(principal), dropSyncReplication));
});

export const DELETE = route<Params>({ scope: "admin" }, async ({ req, params, principal }) => {
  const { force } = parseQuery(req, deleteSyncQuery);
  await deleteSync(getDb(), params._syncId, actorFromPrincipal(principal), {
    force: force === "true",
    dropReplication: dropSyncReplication,
  });
  return noContent();
});
