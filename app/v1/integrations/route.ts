import { getDb } from "@/db/client";
import { actorFromPrincipal } from "@/lib/audit";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { integrationCreateBody, integrationListQuery } from "@/lib/contracts/management";
import { createIntegrationView, listIntegrationViews } from "@/lib/integrations/service";

export const GET = route({ scope: "sync:read" }, async ({ req }) =>
  json(await listIntegrationViews(getDb(), parseQuery(req, integrationListQuery))),
);

export const POST = route({ scope: "admin" }, async ({ req, principal }) => {
  const body = await parseBody(req, integrationCreateBody);
  return json(await createIntegrationView(getDb(), body, actorFromPrincipal(principal)), { status: 201 });
});
