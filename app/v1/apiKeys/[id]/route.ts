import { getDb } from "@/db/client";
import { json, noContent, route } from "@/lib/api/handler";
import { getApiKey, revokeApiKey } from "@/lib/auth/api-keys";

type Params = { id: string };

export const GET = route<Params>({ scope: "admin" }, async ({ params }) => json(await getApiKey(getDb(), params.id)));

/** Revokes the key (kept for the audit trail: `triggeredBy` of past jobs still names it). */
export const DELETE = route<Params>({ scope: "admin" }, async ({ params }) => {
  await revokeApiKey(getDb(), params.id);
  return noContent();
});
