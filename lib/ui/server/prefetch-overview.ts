import { dehydrate, type DehydratedState, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { getOverview } from "@/lib/overview/service";
import { OVERVIEW_FAILURES } from "@/lib/ui/constants";
import { qk } from "@/lib/ui/query-keys";

/** Home's first paint: the same service GET /v1/overview calls, handed to the client cache. */
export async function prefetchOverview(): Promise<DehydratedState> {
  const client = new QueryClient();
  client.setQueryData(qk.overview(), JSON.parse(JSON.stringify(await getOverview(getDb(), { failures: OVERVIEW_FAILURES }))));
  return dehydrate(client);
}
