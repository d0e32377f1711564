import { getDb } from "@/db/client";
import { json, noContent, parseBody, route } from "@/lib/api/handler";
import { integrationPatchBody } from "@/lib/contracts/management";
import { deleteIntegration, getIntegrationView, patchIntegration } from "@/lib/integrations/service";

type Params = { _integrationId: string };

export const GET = route<Params>({ scope: "sync:read" }, async ({ params }) =>
  json(await getIntegrationView(getDb(), params._integrationId)),
);

export const PATCH = route<Params>({ scope: "admin" }, async ({ req, params }) => {
  const body = await parseBody(req, integrationPatchBody);
  return json(await patchIntegration(getDb(), params._integrationId, body));
});

export const DELETE = route<Params>({ scope: "admin" }, async ({ params }) => {
  await deleteIntegration(getDb(), params._integrationId);
  return noContent();
});
