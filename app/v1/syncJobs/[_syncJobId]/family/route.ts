import { getDb } from "@/db/client";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/api/handler";
import { presentFamily } from "@/lib/jobs/present";
import { getJobFamily } from "@/lib/jobs/queries";

export const GET = route<{ _syncJobId: string }>({ scope: "sync:read" }, async ({ params }) => {
  const family = await getJobFamily(getDb(), params._syncJobId);
  if (!family) throw notFound("invalid_ref", `Sync job ${params._syncJobId} not found`, "_syncJobId");
  return json(presentFamily(family));
});
