import { getDb } from "@/db/client";
import { noContent, route } from "@/lib/api/handler";
import { actorFromPrincipal } from "@/lib/audit";
import { actorOf } from "@/lib/auth/principal";
import { cancelJob } from "@/lib/jobs/cancel";

export const PUT = route<{ _syncJobId: string }>({ scope: "sync:write" }, async ({ params, principal }) => {
  await cancelJob(getDb(), params._syncJobId, actorOf(principal), actorFromPrincipal(principal));
  return noContent();
});
