import { getDb } from "@/db/client";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { integrationCreateBody, pageQuery } from "@/lib/contracts/management";
import { createIntegrationView, listIntegrationViews } from "@/lib/integrations/service";

export const GET = route({ scope: "sync:read" }, async ({ req }) =>
  json(await listIntegrationViews(getDb(), parseQuery(req, pageQuery))),
);

export const POST = route({ scope: "admin" }, async ({ req }) => {
  const body = await parseBody(req, integrationCreateBody);
  return json(await createIntegrationView(getDb(), body), { status: 201 });
});
