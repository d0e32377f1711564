import { getDb } from "@/db/client";
import { actorFromPrincipal } from "@/lib/audit";
import { json, noContent, route } from "@/lib/api/handler";
import { getApiKey, revokeApiKey } from "@/lib/auth/api-keys";

type Params = { id: string };

export const GET = route<Params>({ scope: "admin" }, async ({ params }) => json(await getApiKey(getDb(), params.id)));

/** Revokes the key (kept for the audit trail: `triggeredBy` of past jobs still names it). */
export const DELETE = route<Params>({ scope: "admin" }, async ({ params, principal }) => {
  await revokeApiKey(getDb(), params.id, actorFromPrincipal(principal));
  return noContent();
});
