import { getDb } from "@/db/client";
import { actorFromPrincipal } from "@/lib/audit";
import { json, parseBody, parseQuery, route } from "@/lib/api/handler";
import { createApiKey, type KeyGrantor, listApiKeys } from "@/lib/auth/api-keys";
import type { Principal } from "@/lib/auth/principal";
import { apiKeyCreateBody, pageQuery } from "@/lib/contracts/management";
import { config } from "@/lib/runtime/config";

/** A key cannot mint a key with more scopes, a higher rate limit or a later expiry than its own. */
const grantorOf = (p: Principal): KeyGrantor =>
  p.kind === "apiKey"
    ? {
        scopes: p.scopes,
        ownLimit: p.rateLimitPerMinute ?? null,
        effectiveLimit: p.rateLimitPerMinute ?? config.rateLimitPerMinute(),
        expiresAt: p.expiresAt ?? null,
      }
    : { scopes: p.scopes };

export const GET = route({ scope: "admin" }, async ({ req }) => json(await listApiKeys(getDb(), parseQuery(req, pageQuery))));

export const POST = route({ scope: "admin" }, async ({ req, principal }) => {
  const { key, token } = await createApiKey(
    getDb(),
    await parseBody(req, apiKeyCreateBody),
    grantorOf(principal),
    actorFromPrincipal(principal),
  );
  // The token is in this response only; make sure nothing between here and the caller keeps a copy.
  return json({ ...key, token }, { status: 201, headers: { "cache-control": "no-store" } });
});
