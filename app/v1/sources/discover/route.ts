import { getDb } from "@/db/client";
import { json, parseBody, route } from "@/lib/api/handler";
import { discoverSource } from "@/lib/connections/discover";
import { resolveConnection } from "@/lib/syncs/connection-ref";
import { discoverBody } from "@/lib/contracts/connections";

export const POST = route({ scope: "admin" }, async ({ req }) => {
  const body = await parseBody(req, discoverBody);
  const { target, schema } = await resolveConnection(getDb(), { ...body, target: "source" });
  return json(await discoverSource(target, { schema }));
});
