import { getDb } from "@/db/client";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { apiKeyCreateBody, pageQuery } from "@/lib/contracts/management";

export const GET = route({ scope: "admin" }, async ({ req }) => json(await listApiKeys(getDb(), parseQuery(req, pageQuery))));

export const POST = route({ scope: "admin" }, async ({ req, principal }) => {
  const { key, token } = await createApiKey(getDb(), await parseBody(req, apiKeyCreateBody), principal.scopes);
  // The token is in this response only; make sure nothing between here and the caller keeps a copy.
  return json({ ...key, token }, { status: 201, headers: { "cache-control": "no-store" } });
});
