import { dehydrate, type DehydratedState, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { getOverview } from "@/lib/overview/service";
import { FIRST_OVERVIEW_PAGE, OVERVIEW_FAILURES } from "@/lib/ui/constants";
import { qk } from "@/lib/ui/query-keys";

/**
 * Home's first paint: the same service GET /v1/overview calls, handed to the client cache. Only
 * the first page of integrations goes into the HTML (and its dehydrated cache); the rest are a
 * "Show more" or a search away, so the page costs the same with 20 integrations or 2,000.
 */
export async function prefetchOverview(): Promise<DehydratedState> {
  const client = new QueryClient();
  const overview = await getOverview(getDb(), { failures: OVERVIEW_FAILURES, limit: FIRST_OVERVIEW_PAGE.limit, offset: 0 });
  client.setQueryData(qk.overviewPage(FIRST_OVERVIEW_PAGE), JSON.parse(JSON.stringify(overview)));
  return dehydrate(client);
}
