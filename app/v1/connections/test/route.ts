import { getDb } from "@/db/client";
import { json, parseBody, route } from "@/lib/api/handler";
import { resolveConnection } from "@/lib/syncs/connection-ref";
import { testConnection } from "@/lib/connections/test";
import { connectionTestBody } from "@/lib/contracts/connections";

export const POST = route({ scope: "admin" }, async ({ req }) => {
  const body = await parseBody(req, connectionTestBody);
  return json(await testConnection(await resolveConnection(getDb(), body)));
});
