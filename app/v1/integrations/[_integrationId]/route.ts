import { getDb } from "@/db/client";
import { actorFromPrincipal } from "@/lib/audit";
import { json, noContent, parseBody, parseQuery, route } from "@/lib/api/handler";
import { deleteIntegrationQuery, integrationPatchBody } from "@/lib/contracts/management";
import { dropSyncReplication } from "@/lib/engine/sources/cdc/cleanup";
import { deleteIntegration, getIntegrationView, patchIntegration } from "@/lib/integrations/service";

type Params = { _integrationId: string };

export const GET = route<Params>({ scope: "sync:read" }, async ({ params }) =>
  json(await getIntegrationView(getDb(), params._integrationId)),
);

export const PATCH = route<Params>({ scope: "admin" }, async ({ req, params, principal }) => {
  const body = await parseBody(req, integrationPatchBody);
  return json(await patchIntegration(getDb(), params._integrationId, body, actorFromPrincipal(principal)));
});

export const DELETE = route<Params>({ scope: "admin" }, async ({ req, params, principal }) => {
  const { force } = parseQuery(req, deleteIntegrationQuery);
  await deleteIntegration(getDb(), params._integrationId, actorFromPrincipal(principal), {
    force: force === "true",
    dropReplication: dropSyncReplication,
  });
  return noContent();
});
